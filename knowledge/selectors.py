"""Reads of the kunskapsstyrning pages, and every access check of them.

The structure (groups, councils, members, värdskap) is public. Changing it needs
manage_governance in the sjukvårdsregion (the kansli), except a group's uppdrag,
which its current ordförande or processledare may also edit if they hold the group
lead role there. Objects of another sjukvårdsregion answer 404 under this one; an
object the user may read but not change answers 403.
"""

import datetime
from dataclasses import dataclass
from itertools import groupby

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from knowledge.models import (
    DEFAULT_ABBREVIATIONS,
    LEAD_ROLES,
    Goal,
    GroupKind,
    GroupKindName,
    GroupRole,
    Hosting,
    Indicator,
    IndicatorValue,
    KnowledgeCouncil,
    KnowledgeCouncilMembership,
    NationalGroup,
    NationalProgramArea,
    PatientPromise,
    RegionalGroup,
    RegionalGroupMembership,
)
from regions import permissions
from regions.models import HealthcareRegion, Region
from regions.selectors import can_view_internal, permissions_for_user

MANAGE = permissions.MANAGE_GOVERNANCE
LEAD = permissions.WRITE_FOLLOW_UP


def _current(on: datetime.date | None = None) -> Q:
    on = on or timezone.localdate()
    return Q(starts_on__lte=on) & (Q(ends_on__isnull=True) | Q(ends_on__gte=on))


def can_manage(user, healthcare_region: HealthcareRegion) -> bool:
    return permissions_for_user(user).has_healthcare_region_perm(MANAGE, healthcare_region.pk)


def require_manage(user, healthcare_region: HealthcareRegion) -> None:
    if not can_manage(user, healthcare_region):
        raise PermissionDenied


def regions_of(healthcare_region: HealthcareRegion) -> QuerySet[Region]:
    """The regions that may be represented in the sjukvårdsregion's groups."""
    return Region.objects.filter(
        Q(healthcare_region=healthcare_region) | Q(cooperates_with=healthcare_region)
    )


# Kinds of group ----------------------------------------------------------------------


@dataclass(frozen=True)
class KindName:
    kind: str
    abbreviation: str
    name: str


def kind_names(healthcare_region: HealthcareRegion) -> dict[str, KindName]:
    """What this sjukvårdsregion calls each kind of group (one query)."""
    names = {
        kind: KindName(kind, DEFAULT_ABBREVIATIONS[kind], GroupKind(kind).label)
        for kind in GroupKind.values
    }
    for row in GroupKindName.objects.filter(healthcare_region=healthcare_region):
        names[row.kind] = KindName(row.kind, row.abbreviation, row.name)
    return names


# Groups ------------------------------------------------------------------------------


def group_is_led_by(user, group: RegionalGroup, on: datetime.date | None = None) -> bool:
    """Whether the user is a current ordförande or processledare of the group."""
    if not user.is_authenticated:
        return False
    return RegionalGroupMembership.objects.filter(
        _current(on), group=group, person__user=user, role__in=LEAD_ROLES
    ).exists()


def can_edit_mandate(user, group: RegionalGroup) -> bool:
    perms = permissions_for_user(user)
    hr_id = group.healthcare_region_id
    if perms.has_healthcare_region_perm(MANAGE, hr_id):
        return True
    return perms.has_healthcare_region_perm(LEAD, hr_id) and group_is_led_by(user, group)


def regional_group_for_user(
    user, healthcare_region: HealthcareRegion, pk, *, change: bool = False, mandate: bool = False
) -> RegionalGroup:
    """A group of the sjukvårdsregion (public; 404 if it is another's).

    change=True: 403 unless kansli. mandate=True: 403 unless kansli or a current
    ordförande/processledare of this group holding the group lead role.
    """
    try:
        group = RegionalGroup.objects.select_related(
            "healthcare_region",
            "council",
            "national_program_area",
            "national_group",
            "parent",
        ).get(healthcare_region=healthcare_region, pk=pk)
    except (RegionalGroup.DoesNotExist, ValueError):
        raise Http404 from None
    if change:
        require_manage(user, healthcare_region)
    if mandate and not can_edit_mandate(user, group):
        raise PermissionDenied
    return group


@dataclass
class StructureNode:
    group: RegionalGroup
    children: list["StructureNode"]


@dataclass
class CouncilNode:
    council: KnowledgeCouncil
    groups: list[StructureNode]


@dataclass
class Structure:
    councils: list[CouncilNode]
    by_kind: list[tuple[KindName, list[StructureNode]]]
    names: dict[str, KindName]
    group_count: int


def structure_of(healthcare_region: HealthcareRegion) -> Structure:
    """The sjukvårdsregion's tree: councils with their programme areas, then the groups
    of each kind not under a council; working groups nest under their parent group."""
    names = kind_names(healthcare_region)
    groups = list(
        RegionalGroup.objects.filter(healthcare_region=healthcare_region)
        .select_related("national_program_area", "national_group", "healthcare_region")
        .annotate(member_count=Count("memberships", filter=_member_filter(), distinct=True))
        .order_by("kind", "position", "name")
    )
    councils = list(
        KnowledgeCouncil.objects.filter(healthcare_region=healthcare_region).select_related(
            "healthcare_region"
        )
    )
    for g in groups:
        g.kind_name = names[g.kind]
    nodes = {g.pk: StructureNode(g, []) for g in groups}
    roots = []
    for g in groups:
        if g.parent_id and g.parent_id in nodes:
            nodes[g.parent_id].children.append(nodes[g.pk])
        else:
            roots.append(nodes[g.pk])
    council_nodes = {c.pk: CouncilNode(c, []) for c in councils}
    loose = []
    for node in roots:
        if node.group.council_id in council_nodes:
            council_nodes[node.group.council_id].groups.append(node)
        else:
            loose.append(node)
    by_kind = []
    for kind in GroupKind.values:
        of_kind = [n for n in loose if n.group.kind == kind]
        if of_kind:
            by_kind.append((names[kind], of_kind))
    return Structure(
        councils=list(council_nodes.values()), by_kind=by_kind, names=names, group_count=len(groups)
    )


def _member_filter() -> Q:
    on = timezone.localdate()
    return Q(memberships__starts_on__lte=on) & (
        Q(memberships__ends_on__isnull=True) | Q(memberships__ends_on__gte=on)
    )


ROLE_ORDER = [choice for choice, _label in GroupRole.choices]


@dataclass
class RegionMembers:
    region: Region
    members: list


def current_memberships(group: RegionalGroup) -> list[RegionalGroupMembership]:
    return list(
        RegionalGroupMembership.objects.filter(_current(), group=group).select_related(
            "person", "region"
        )
    )


def members_by_region(memberships) -> list[RegionMembers]:
    """Members grouped by the region they represent, ordered by role then name."""
    ordered = sorted(
        memberships,
        key=lambda m: (
            m.region.scb_code,
            ROLE_ORDER.index(m.role),
            m.person.last_name,
            m.person.first_name,
        ),
    )
    return [
        RegionMembers(region=members[0].region, members=members)
        for members in (list(g) for _c, g in groupby(ordered, key=lambda m: m.region.scb_code))
    ]


def group_membership_for_user(
    user, healthcare_region: HealthcareRegion, pk
) -> RegionalGroupMembership:
    """A group membership to change: visible to all, changeable by the kansli."""
    try:
        membership = RegionalGroupMembership.objects.select_related(
            "group__healthcare_region", "person", "region"
        ).get(group__healthcare_region=healthcare_region, pk=pk)
    except (RegionalGroupMembership.DoesNotExist, ValueError):
        raise Http404 from None
    require_manage(user, healthcare_region)
    return membership


# Councils ----------------------------------------------------------------------------


def council_for_user(
    user, healthcare_region: HealthcareRegion, pk, *, change: bool = False
) -> KnowledgeCouncil:
    try:
        council = KnowledgeCouncil.objects.select_related("healthcare_region").get(
            healthcare_region=healthcare_region, pk=pk
        )
    except (KnowledgeCouncil.DoesNotExist, ValueError):
        raise Http404 from None
    if change:
        require_manage(user, healthcare_region)
    return council


def council_current_memberships(council: KnowledgeCouncil) -> list[KnowledgeCouncilMembership]:
    return list(
        KnowledgeCouncilMembership.objects.filter(_current(), council=council).select_related(
            "person", "region"
        )
    )


def council_groups(council: KnowledgeCouncil) -> list[RegionalGroup]:
    return list(
        council.groups.select_related("healthcare_region", "national_program_area").order_by("name")
    )


def council_membership_for_user(
    user, healthcare_region: HealthcareRegion, pk
) -> KnowledgeCouncilMembership:
    try:
        membership = KnowledgeCouncilMembership.objects.select_related(
            "council__healthcare_region", "person", "region"
        ).get(council__healthcare_region=healthcare_region, pk=pk)
    except (KnowledgeCouncilMembership.DoesNotExist, ValueError):
        raise Http404 from None
    require_manage(user, healthcare_region)
    return membership


# National ----------------------------------------------------------------------------


@dataclass
class NationalRow:
    program_area: NationalProgramArea
    host: Hosting | None


def national_structure(on: datetime.date | None = None):
    """Every NPO with its current host, and the national groups (three queries)."""
    hostings = Hosting.objects.filter(_current(on)).select_related("healthcare_region")
    areas = list(
        NationalProgramArea.objects.prefetch_related(
            Prefetch("hostings", queryset=hostings, to_attr="current_hostings")
        )
    )
    rows = [NationalRow(a, a.current_hostings[0] if a.current_hostings else None) for a in areas]
    return rows, list(NationalGroup.objects.all())


def hostings_of(healthcare_region: HealthcareRegion) -> list[Hosting]:
    return list(
        Hosting.objects.filter(_current(), healthcare_region=healthcare_region).select_related(
            "program_area"
        )
    )


# Promises and goals ------------------------------------------------------------------


def goals_visible_to(user, healthcare_region: HealthcareRegion) -> QuerySet[Goal]:
    goals = Goal.objects.filter(healthcare_region=healthcare_region)
    if not can_view_internal(user, healthcare_region):
        goals = goals.filter(is_published=True)
    return goals


def promises_with_goals(user, healthcare_region: HealthcareRegion):
    """The promises in order with their visible goals, and the goals tied to no promise."""
    goals = list(
        goals_visible_to(user, healthcare_region).select_related(
            "program_area", "healthcare_region"
        )
    )
    promises = list(PatientPromise.objects.filter(healthcare_region=healthcare_region))
    by_promise: dict[int | None, list[Goal]] = {}
    for goal in goals:
        by_promise.setdefault(goal.promise_id, []).append(goal)
    return [(p, by_promise.get(p.pk, [])) for p in promises], by_promise.get(None, [])


def goal_for_user(user, healthcare_region: HealthcareRegion, pk, *, change: bool = False) -> Goal:
    """A goal the user may read (404 otherwise); change=True also 403 unless kansli."""
    try:
        goal = (
            goals_visible_to(user, healthcare_region)
            .select_related("healthcare_region", "program_area", "promise")
            .get(pk=pk)
        )
    except (Goal.DoesNotExist, ValueError):
        raise Http404 from None
    if change:
        require_manage(user, healthcare_region)
    return goal


def indicator_for_user(
    user, healthcare_region: HealthcareRegion, pk, *, change: bool = False
) -> Indicator:
    try:
        indicator = Indicator.objects.select_related("goal__healthcare_region").get(
            goal__in=goals_visible_to(user, healthcare_region), pk=pk
        )
    except (Indicator.DoesNotExist, ValueError):
        raise Http404 from None
    if change:
        require_manage(user, healthcare_region)
    return indicator


def goal_indicators(goal: Goal) -> list[Indicator]:
    """The goal's indicators with their values and regions (two queries)."""
    return list(
        goal.indicators.prefetch_related(
            Prefetch(
                "values",
                queryset=IndicatorValue.objects.select_related("region").order_by(
                    "region__scb_code", "year"
                ),
            )
        )
    )
