"""Writes of kunskapsstyrning data: groups, councils, members, values of indicators.

Each function is one transaction with the acting user as history context, so the
pghistory triggers record who changed what, also for bulk writes.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.editing import ConcurrentEditError, history_context, lock_unchanged
from knowledge.models import (
    Goal,
    GroupKind,
    Hosting,
    Indicator,
    IndicatorValue,
    KnowledgeCouncil,
    KnowledgeCouncilMembership,
    NationalProgramArea,
    RegionalGroup,
    RegionalGroupMembership,
)
from knowledge.richtext import sanitize_html
from regions.models import HealthcareRegion, Person, Region, User

__all__ = ["ConcurrentEditError"]

GROUP_FIELDS = (
    "kind",
    "name",
    "national_program_area",
    "national_group",
    "council",
    "parent",
    "state",
    "formed_on",
    "closed_on",
    "mandate",
    "note",
    "position",
)

CONSTRAINT_MESSAGES = {
    "regionalgroup_unique_name_per_kind": (
        "name",
        "Det finns redan en grupp av den typen med det namnet.",
    ),
    "groupmembership_one_chair_at_a_time": (
        "role",
        "Gruppen har redan en ordförande under den perioden.",
    ),
    "groupmembership_no_overlapping_terms_per_person": (
        "person",
        "Personen har redan ett uppdrag i gruppen under den perioden.",
    ),
    "councilmembership_one_chair_at_a_time": (
        "role",
        "Kunskapsrådet har redan en ordförande under den perioden.",
    ),
    "councilmembership_no_overlapping_terms_per_person": (
        "person",
        "Personen har redan ett uppdrag i kunskapsrådet under den perioden.",
    ),
    "knowledgecouncil_unique_name_per_healthcare_region": (
        "name",
        "Det finns redan ett kunskapsråd med det namnet.",
    ),
    "hosting_one_host_at_a_time": (
        "program_area",
        "Programområdet har redan en värdsjukvårdsregion under den perioden.",
    ),
    "groupmembership_ends_after_start": ("ends_on", "Slutdatumet kan inte vara före startdatumet."),
    "councilmembership_ends_after_start": (
        "ends_on",
        "Slutdatumet kan inte vara före startdatumet.",
    ),
    "hosting_ends_after_start": ("ends_on", "Slutdatumet kan inte vara före startdatumet."),
}


def _save(obj):
    """full_clean without the constraints the database checks, then save; a violated
    constraint becomes a Swedish validation error on the field it concerns."""
    obj.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        diag = getattr(exc.__cause__, "diag", None)
        name = getattr(diag, "constraint_name", "") or ""
        if name in CONSTRAINT_MESSAGES:
            field, message = CONSTRAINT_MESSAGES[name]
            raise ValidationError({field: _(message)}) from None
        raise
    return obj


def _check_region(healthcare_region_id: int, region: Region, hr_name: str):
    if region.healthcare_region_id != healthcare_region_id and (
        region.cooperates_with_id != healthcare_region_id
    ):
        raise ValidationError(
            {
                "region": _("%(region)s ingår inte i %(hr)s.")
                % {"region": region.name, "hr": hr_name}
            }
        )


# Groups ------------------------------------------------------------------------------


def _check_group(group: RegionalGroup):
    errors = {}
    hr_id = group.healthcare_region_id
    if group.council_id and group.council.healthcare_region_id != hr_id:
        errors["council"] = _("Kunskapsrådet tillhör en annan sjukvårdsregion.")
    if group.parent_id and (
        group.parent.healthcare_region_id != hr_id or group.parent_id == group.pk
    ):
        errors["parent"] = _("Gruppen kan inte ingå i den valda gruppen.")
    if group.national_program_area_id and group.kind not in (
        GroupKind.PROGRAM_AREA,
        GroupKind.CANCER_CENTRE,
    ):
        errors["national_program_area"] = _(
            "Bara ett programområde eller cancercentrum motsvarar ett nationellt programområde."
        )
    if group.national_group_id and group.kind == GroupKind.PROGRAM_AREA:
        errors["national_group"] = _(
            "Ett programområde motsvaras av ett nationellt programområde, inte en samverkansgrupp."
        )
    if group.national_program_area_id and group.national_group_id:
        errors["national_group"] = _("Välj högst en nationell motsvarighet.")
    if group.state == RegionalGroup.State.CLOSED and not group.closed_on:
        errors["closed_on"] = _("Ange när gruppen avslutades.")
    if group.closed_on and group.formed_on and group.closed_on < group.formed_on:
        errors["closed_on"] = _("Gruppen kan inte avslutas före den bildades.")
    if errors:
        raise ValidationError(errors)


def regional_group_create(
    *, actor: User | None, healthcare_region: HealthcareRegion, kind: str, name: str, **fields
) -> RegionalGroup:
    """Create an RPO/RSG/RAG/RCC of the sjukvårdsregion; its uppdrag is sanitised."""
    unknown = set(fields) - set(GROUP_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {unknown}")
    group = RegionalGroup(
        healthcare_region=healthcare_region, kind=kind, name=name.strip(), **fields
    )
    group.mandate = sanitize_html(group.mandate)
    with transaction.atomic(), history_context(actor):
        _check_group(group)
        return _save(group)


def regional_group_update(
    *,
    actor: User | None,
    group: RegionalGroup,
    fields: dict,
    expected_updated_at: datetime.datetime | None = None,
) -> RegionalGroup:
    """Change a group's facts (kansli)."""
    unknown = set(fields) - set(GROUP_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {unknown}")
    with transaction.atomic(), history_context(actor):
        current = lock_unchanged(RegionalGroup, group.pk, expected_updated_at)
        for name, value in fields.items():
            setattr(current, name, value)
        current.mandate = sanitize_html(current.mandate)
        _check_group(current)
        return _save(current)


def regional_group_set_mandate(
    *,
    actor: User | None,
    group: RegionalGroup,
    mandate: str,
    expected_updated_at: datetime.datetime | None = None,
) -> RegionalGroup:
    """Replace the group's uppdrag, keeping only the allowed HTML."""
    with transaction.atomic(), history_context(actor):
        current = lock_unchanged(RegionalGroup, group.pk, expected_updated_at)
        current.mandate = sanitize_html(mandate)
        return _save(current)


def group_membership_create(
    *,
    actor: User | None,
    group: RegionalGroup,
    person: Person,
    region: Region,
    role: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
) -> RegionalGroupMembership:
    """Appoint a person to a group, representing a region, for a term."""
    with transaction.atomic(), history_context(actor):
        _check_region(group.healthcare_region_id, region, group.healthcare_region.name)
        return _save(
            RegionalGroupMembership(
                group=group,
                person=person,
                region=region,
                role=role,
                starts_on=starts_on,
                ends_on=ends_on,
            )
        )


def imported_row_save(*, actor: User | None, obj):
    """Save one row of the admin's import (core.importexport) with the forms' checks.

    A group is checked and its uppdrag sanitised as by regional_group_create, a
    membership's region checked as by group_membership_create; violated constraints get
    the same Swedish messages. The import's own transaction makes it all or none.
    """
    with transaction.atomic(), history_context(actor):
        if isinstance(obj, RegionalGroup):
            obj.mandate = sanitize_html(obj.mandate)
            _check_group(obj)
        elif isinstance(obj, RegionalGroupMembership):
            hr = obj.group.healthcare_region
            _check_region(hr.pk, obj.region, hr.name)
        return _save(obj)


def group_membership_end(
    *, actor: User | None, membership: RegionalGroupMembership, ends_on: datetime.date
) -> RegionalGroupMembership:
    """End a term on a date (its last day)."""
    with transaction.atomic(), history_context(actor):
        return _end_term(RegionalGroupMembership, membership, ends_on)


def _end_term(model, membership, ends_on: datetime.date):
    if ends_on < membership.starts_on:
        raise ValidationError(
            {
                "ends_on": _("Uppdraget kan inte sluta före det började (%(date)s).")
                % {"date": membership.starts_on.isoformat()}
            }
        )
    current = lock_unchanged(model, membership.pk, None)
    current.ends_on = ends_on
    return _save(current)


# Councils ----------------------------------------------------------------------------


def council_create(
    *,
    actor: User | None,
    healthcare_region: HealthcareRegion,
    name: str,
    description: str = "",
    rotates_leadership: bool = True,
    rotation_years: int = 2,
    position: int = 0,
    groups: Iterable[RegionalGroup] = (),
) -> KnowledgeCouncil:
    """Create a kunskapsråd and put the given programme areas under it."""
    with transaction.atomic(), history_context(actor):
        council = _save(
            KnowledgeCouncil(
                healthcare_region=healthcare_region,
                name=name.strip(),
                description=description,
                rotates_leadership=rotates_leadership,
                rotation_years=rotation_years,
                position=position,
            )
        )
        groups = list(groups)
        if any(g.healthcare_region_id != healthcare_region.pk for g in groups):
            raise ValidationError({"groups": _("En grupp tillhör en annan sjukvårdsregion.")})
        for group in groups:
            group.council = council
            group.save(update_fields=["council", "updated_at"])
        return council


def council_membership_create(
    *,
    actor: User | None,
    council: KnowledgeCouncil,
    person: Person,
    region: Region,
    role: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
) -> KnowledgeCouncilMembership:
    with transaction.atomic(), history_context(actor):
        _check_region(council.healthcare_region_id, region, council.healthcare_region.name)
        return _save(
            KnowledgeCouncilMembership(
                council=council,
                person=person,
                region=region,
                role=role,
                starts_on=starts_on,
                ends_on=ends_on,
            )
        )


def council_membership_end(
    *, actor: User | None, membership: KnowledgeCouncilMembership, ends_on: datetime.date
) -> KnowledgeCouncilMembership:
    """End a term in a kunskapsråd on a date (its last day)."""
    with transaction.atomic(), history_context(actor):
        return _end_term(KnowledgeCouncilMembership, membership, ends_on)


# Värdskap ----------------------------------------------------------------------------


def hosting_create(
    *,
    actor: User | None,
    healthcare_region: HealthcareRegion,
    program_area: NationalProgramArea,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    note: str = "",
) -> Hosting:
    """Record that the sjukvårdsregion hosts a national programme area from a date.

    An NPO has one host at a time: a period overlapping another host's is refused.
    """
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("Slutdatumet kan inte vara före startdatumet.")})
    with transaction.atomic(), history_context(actor):
        return _save(
            Hosting(
                program_area=program_area,
                healthcare_region=healthcare_region,
                starts_on=starts_on,
                ends_on=ends_on,
                note=note.strip(),
            )
        )


# Goals and indicators ----------------------------------------------------------------

GOAL_FIELDS = ("program_area", "promise", "title", "description", "is_published", "position")
INDICATOR_FIELDS = ("name", "unit", "higher_is_better", "target", "source")


def _check_fields(fields, allowed):
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields {unknown}")


def _check_goal(goal: Goal):
    errors = {}
    hr_id = goal.healthcare_region_id
    if goal.program_area_id and goal.program_area.healthcare_region_id != hr_id:
        errors["program_area"] = _("Programområdet tillhör en annan sjukvårdsregion.")
    if goal.promise_id and goal.promise.healthcare_region_id != hr_id:
        errors["promise"] = _("Löftet tillhör en annan sjukvårdsregion.")
    if errors:
        raise ValidationError(errors)


def goal_create(
    *, actor: User | None, healthcare_region: HealthcareRegion, title: str, **fields
) -> Goal:
    """Create a measurable goal of the sjukvårdsregion (kansli)."""
    _check_fields(fields, GOAL_FIELDS)
    goal = Goal(healthcare_region=healthcare_region, title=title.strip(), **fields)
    with transaction.atomic(), history_context(actor):
        _check_goal(goal)
        return _save(goal)


def goal_update(
    *,
    actor: User | None,
    goal: Goal,
    fields: dict,
    expected_updated_at: datetime.datetime | None = None,
) -> Goal:
    """Change a goal; refused if someone else saved it since the editor loaded it."""
    _check_fields(fields, GOAL_FIELDS)
    with transaction.atomic(), history_context(actor):
        current = lock_unchanged(Goal, goal.pk, expected_updated_at)
        for name, value in fields.items():
            setattr(current, name, value)
        current.title = current.title.strip()
        _check_goal(current)
        return _save(current)


def indicator_create(
    *, actor: User | None, goal: Goal, name: str, unit: str, **fields
) -> Indicator:
    """Add an indicator to a goal."""
    _check_fields(fields, INDICATOR_FIELDS)
    with transaction.atomic(), history_context(actor):
        return _save(Indicator(goal=goal, name=name.strip(), unit=unit.strip(), **fields))


def indicator_update(
    *,
    actor: User | None,
    indicator: Indicator,
    fields: dict,
    expected_updated_at: datetime.datetime | None = None,
) -> Indicator:
    """Change an indicator's name, unit, direction, target or source."""
    _check_fields(fields, INDICATOR_FIELDS)
    with transaction.atomic(), history_context(actor):
        current = lock_unchanged(Indicator, indicator.pk, expected_updated_at)
        for name, value in fields.items():
            setattr(current, name, value)
        return _save(current)


# Indicator values --------------------------------------------------------------------


@dataclass(frozen=True)
class ValueRow:
    region: Region
    year: int
    value: Decimal


def indicator_values_save(
    *, actor: User | None, indicator: Indicator, rows: Iterable[ValueRow]
) -> int:
    """Write (or replace) values per region and year in one statement; all or nothing.

    The caller has validated every row (see `knowledge.imports`); the database's
    constraints still guard the year range and uniqueness.
    """
    rows = list(rows)
    hr = indicator.goal.healthcare_region
    for row in rows:
        _check_region(hr.pk, row.region, hr.name)
    now = timezone.now()
    with transaction.atomic(), history_context(actor):
        IndicatorValue.objects.bulk_create(
            [
                IndicatorValue(
                    indicator=indicator,
                    region=r.region,
                    year=r.year,
                    value=r.value,
                    created_at=now,
                    updated_at=now,
                )
                for r in rows
            ],
            update_conflicts=True,
            unique_fields=["indicator", "region", "year"],
            update_fields=["value", "updated_at"],
        )
    return len(rows)
