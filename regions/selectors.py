"""Reads that span relations, and every access check of the governance pages.

Access helpers filter first and fetch second, so an object a user may not read
answers 404 exactly like one that does not exist; 403 is only for what the user
may read but not change.
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from itertools import groupby

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet, Value
from django.http import Http404
from django.utils import timezone

from regions import permissions, user_cache
from regions.models import (
    AgendaItem,
    Body,
    Decision,
    HealthcareRegion,
    HealthcareRegionGroupObjectPermission,
    HealthcareRegionUserObjectPermission,
    Meeting,
    Membership,
    Region,
    RegionGroupObjectPermission,
    RegionUserObjectPermission,
    RoleGroup,
    User,
)


@dataclass
class PortalPermissions:
    """A user's object permissions: one query when not in the cache."""

    is_superuser: bool = False
    healthcare_regions: dict[int, set[str]] = field(default_factory=dict)
    regions: dict[int, set[str]] = field(default_factory=dict)

    def has_healthcare_region_perm(self, perm: str, healthcare_region_id: int) -> bool:
        return self.is_superuser or perm in self.healthcare_regions.get(healthcare_region_id, ())

    def has_region_perm(self, perm: str, region_id: int) -> bool:
        return self.is_superuser or perm in self.regions.get(region_id, ())

    def healthcare_region_ids_with(self, perm: str) -> set[int]:
        return {pk for pk, perms in self.healthcare_regions.items() if perm in perms}

    def fingerprint(self) -> str:
        """The same for two users exactly when they hold the same permissions: pages
        that depend on nothing else of the user are shared by that key."""
        canonical = repr(
            (
                self.is_superuser,
                sorted((pk, sorted(perms)) for pk, perms in self.healthcare_regions.items()),
                sorted((pk, sorted(perms)) for pk, perms in self.regions.items()),
            )
        )
        return hashlib.sha256(canonical.encode()).hexdigest()[:32]


def _permission_rows(model, scope: str, **lookup):
    return (
        model.objects.filter(**lookup)
        .annotate(scope=Value(scope))
        .values_list("scope", "content_object_id", "permission__codename")
    )


def permissions_for_user(user) -> PortalPermissions:
    """The user's object permissions on sjukvårdsregioner and regions: kept on the user
    for the request, and in the cache between requests (regions.user_cache)."""
    cached = getattr(user, "_portal_permissions", None)
    if cached is not None:
        return cached
    if not user.is_authenticated or not user.is_active:
        perms = PortalPermissions()
    elif user.is_superuser:
        perms = PortalPermissions(is_superuser=True)
    else:
        # Read with the user's row (samverkan.auth), or from the cache, or loaded.
        perms = getattr(user, "prefetched_permissions", None)
        if perms is None:
            perms = user_cache.get(user.pk, lambda: _permissions_load(user))
    user._portal_permissions = perms
    return perms


def _permissions_load(user) -> PortalPermissions:
    perms = PortalPermissions()
    rows = _permission_rows(HealthcareRegionGroupObjectPermission, "hr", group__user=user).union(
        _permission_rows(HealthcareRegionUserObjectPermission, "hr", user=user),
        _permission_rows(RegionGroupObjectPermission, "region", group__user=user),
        _permission_rows(RegionUserObjectPermission, "region", user=user),
    )
    for scope, object_id, codename in rows:
        target = perms.healthcare_regions if scope == "hr" else perms.regions
        target.setdefault(object_id, set()).add(codename)
    return perms


def require_healthcare_region_perm(user, healthcare_region: HealthcareRegion, perm: str) -> None:
    """Raise 403 unless the user holds `perm` in the sjukvårdsregion."""
    if not permissions_for_user(user).has_healthcare_region_perm(perm, healthcare_region.pk):
        raise PermissionDenied


def can_view_internal(user, healthcare_region: HealthcareRegion) -> bool:
    return permissions_for_user(user).has_healthcare_region_perm(
        permissions.VIEW_INTERNAL, healthcare_region.pk
    )


def healthcare_region_get(slug: str) -> HealthcareRegion:
    """A sjukvårdsregion by its slug; the regions and the structure are public."""
    try:
        return HealthcareRegion.objects.get(slug=slug)
    except HealthcareRegion.DoesNotExist:
        raise Http404 from None


def healthcare_region_for_request(request, slug: str) -> HealthcareRegion:
    """The sjukvårdsregion a page is about (404 if none), remembered on the request for
    the header, the navigation and the switcher."""
    healthcare_region = healthcare_region_get(slug)
    request.healthcare_region = healthcare_region
    return healthcare_region


def healthcare_regions_with_regions() -> QuerySet[HealthcareRegion]:
    return HealthcareRegion.objects.prefetch_related(
        Prefetch("regions", queryset=Region.objects.select_related("cooperates_with")),
        Prefetch(
            "cooperating_regions", queryset=Region.objects.select_related("healthcare_region")
        ),
    )


def role_groups_for_user(user) -> list[RoleGroup]:
    if not user.is_authenticated:
        return []
    return list(
        RoleGroup.objects.filter(group__user=user)
        .select_related("healthcare_region", "region__healthcare_region")
        .order_by("role")
    )


def region_price_contacts(region) -> QuerySet[User]:
    """The active users who hold the price-contact role in a region (an instance, an id
    or an OuterRef to one)."""
    return User.objects.filter(
        is_active=True,
        groups__role_group__role=RoleGroup.Role.PRICE_CONTACT,
        groups__role_group__region=region,
    )


def healthcare_regions_for_user(user) -> list[HealthcareRegion]:
    """The sjukvårdsregioner where the user holds a role, for the switcher in the header."""
    perms = permissions_for_user(user)
    if perms.is_superuser:
        return list(HealthcareRegion.objects.all())
    ids = set(perms.healthcare_regions)
    if perms.regions:
        ids |= set(
            Region.objects.filter(pk__in=perms.regions).values_list(
                "healthcare_region_id", flat=True
            )
        )
    return list(HealthcareRegion.objects.filter(pk__in=ids))


# Bodies ----------------------------------------------------------------------------


def bodies_of(healthcare_region: HealthcareRegion) -> list[Body]:
    return list(
        Body.objects.filter(healthcare_region=healthcare_region).select_related(
            "healthcare_region", "parent__healthcare_region"
        )
    )


def body_for_user(user, healthcare_region: HealthcareRegion, pk, *, change: bool = False) -> Body:
    """A body of the sjukvårdsregion. Bodies are public; changing needs manage_governance."""
    try:
        body = Body.objects.select_related("healthcare_region", "parent").get(
            healthcare_region=healthcare_region, pk=pk
        )
    except (Body.DoesNotExist, ValueError):
        raise Http404 from None
    if change:
        require_healthcare_region_perm(user, healthcare_region, permissions.MANAGE_GOVERNANCE)
    return body


def memberships_current(body: Body, on: datetime.date | None = None) -> list[Membership]:
    on = on or timezone.localdate()
    return list(
        Membership.objects.filter(body=body, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .select_related("person", "region")
    )


ROLE_ORDER = [choice for choice, _label in Membership.Role.choices]


@dataclass
class RegionMembers:
    region: Region
    by_role: list[tuple[str, list[Membership]]]


def memberships_by_region(memberships: list[Membership]) -> list[RegionMembers]:
    """Current members grouped by the region they represent, then by role in role order."""
    result = []
    ordered = sorted(memberships, key=lambda m: (m.region.scb_code, ROLE_ORDER.index(m.role)))
    for _code, region_group in groupby(ordered, key=lambda m: m.region.scb_code):
        members = list(region_group)
        by_role = []
        for role, role_group in groupby(members, key=lambda m: m.role):
            people = sorted(role_group, key=lambda m: (m.person.last_name, m.person.first_name))
            by_role.append((Membership.Role(role).label, people))
        result.append(RegionMembers(region=members[0].region, by_role=by_role))
    return result


def membership_for_user(user, healthcare_region: HealthcareRegion, pk) -> Membership:
    """A membership to change: visible to all, changeable with manage_governance."""
    try:
        membership = Membership.objects.select_related("body", "person", "region").get(
            body__healthcare_region=healthcare_region, pk=pk
        )
    except (Membership.DoesNotExist, ValueError):
        raise Http404 from None
    require_healthcare_region_perm(user, healthcare_region, permissions.MANAGE_GOVERNANCE)
    return membership


# Meetings and decisions ------------------------------------------------------------


def meetings_visible_to(user, healthcare_region: HealthcareRegion) -> QuerySet[Meeting]:
    """Meetings of the sjukvårdsregion the user may read: published ones, or all for insiders."""
    meetings = Meeting.objects.filter(body__healthcare_region=healthcare_region)
    if not can_view_internal(user, healthcare_region):
        meetings = meetings.filter(is_published=True)
    return meetings


def meeting_list(user, healthcare_region: HealthcareRegion) -> list[Meeting]:
    return list(
        meetings_visible_to(user, healthcare_region)
        .select_related("body__healthcare_region")
        .prefetch_related(Prefetch("decisions", queryset=Decision.objects.order_by("paragraph")))
    )


def meeting_for_user(
    user, healthcare_region: HealthcareRegion, pk, *, change: bool = False
) -> Meeting:
    """A meeting the user may read (404 otherwise); with change=True also 403 unless kansli."""
    try:
        meeting = (
            meetings_visible_to(user, healthcare_region)
            .select_related("body__healthcare_region")
            .get(pk=pk)
        )
    except (Meeting.DoesNotExist, ValueError):
        raise Http404 from None
    if change:
        require_healthcare_region_perm(user, healthcare_region, permissions.MANAGE_GOVERNANCE)
    return meeting


def meeting_detail(meeting: Meeting) -> tuple[list[AgendaItem], list[Decision]]:
    items = list(meeting.agenda_items.all())
    decisions = list(
        meeting.decisions.select_related("agenda_item", "subject_type").order_by("paragraph")
    )
    return items, decisions


def agenda_item_of(meeting: Meeting, pk) -> AgendaItem:
    """An agenda item of a meeting the caller has already checked access to."""
    try:
        return meeting.agenda_items.get(pk=pk)
    except (AgendaItem.DoesNotExist, ValueError):
        raise Http404 from None


def decision_of(meeting: Meeting, pk) -> Decision:
    """A decision of a meeting the caller has already checked access to."""
    try:
        return meeting.decisions.get(pk=pk)
    except (Decision.DoesNotExist, ValueError):
        raise Http404 from None


def decisions_recent(user, healthcare_region: HealthcareRegion, limit: int = 10) -> list[Decision]:
    meetings = meetings_visible_to(user, healthcare_region)
    return list(
        Decision.objects.filter(meeting__in=meetings)
        .select_related("meeting__body__healthcare_region")
        .order_by("-meeting__date", "-paragraph")[:limit]
    )
