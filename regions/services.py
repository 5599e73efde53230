"""Writes of governance data: roles, memberships, meetings, agenda items and decisions.

Each function is one transaction. The history triggers (django-pghistory) record
every row written with the acting user as context, so the Historik page can show
who changed what, also for writes that do not come from a web request.
"""

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from core.editing import ConcurrentEditError, history_context, lock_unchanged
from regions.models import (
    AgendaItem,
    AuditEvent,
    Body,
    Decision,
    HealthcareRegion,
    Meeting,
    Membership,
    Person,
    Region,
    RoleGroup,
    User,
)
from regions.roles import HEALTHCARE_REGION, ROLE_SPECS

__all__ = ["ConcurrentEditError"]


def _save(obj, *, exclude: Iterable[str] | None = None):
    obj.full_clean(exclude=exclude)
    obj.save()
    return obj


def _apply(obj, fields: dict):
    for name, value in fields.items():
        setattr(obj, name, value)
    return obj


# Roles -----------------------------------------------------------------------------


def role_group_ensure(*, role: str, scope: HealthcareRegion | Region) -> RoleGroup:
    """The auth group for a role in a scope, created with its object permissions if missing."""
    spec = ROLE_SPECS[role]
    wants_hr = spec.scope == HEALTHCARE_REGION
    if wants_hr != isinstance(scope, HealthcareRegion):
        raise ValidationError(
            _("Rollen %(role)s gäller i en %(scope)s.")
            % {
                "role": RoleGroup.Role(role).label,
                "scope": _("sjukvårdsregion") if wants_hr else _("region"),
            }
        )
    lookup = {"healthcare_region": scope} if wants_hr else {"region": scope}
    with transaction.atomic():
        role_group = RoleGroup.objects.filter(role=role, **lookup).select_related("group").first()
        if role_group is None:
            group, _created = Group.objects.get_or_create(
                name=f"{RoleGroup.Role(role).label} – {scope.name}"
            )
            role_group = RoleGroup.objects.create(group=group, role=role, **lookup)
        for codename in spec.permissions:
            assign_perm(f"regions.{codename}", role_group.group, scope)
    return role_group


def role_grant(
    *,
    user: User,
    role: str,
    scope: HealthcareRegion | Region,
    actor: User | None = None,
    via: str = "",
) -> RoleGroup:
    """Give the user a role in a sjukvårdsregion or region, recorded with who gave it
    (`actor`, or `via` for a command run outside the portal)."""
    with transaction.atomic():
        role_group = role_group_ensure(role=role, scope=scope)
        if not user.groups.filter(pk=role_group.group_id).exists():
            user.groups.add(role_group.group)
            audit_record(
                actor=actor,
                action=AuditEvent.Action.ROLE_GRANTED,
                subject_user=user,
                scope=scope,
                role=role,
                via=via,
            )
    return role_group


def role_revoke(
    *,
    user: User,
    role: str,
    scope: HealthcareRegion | Region,
    actor: User | None = None,
    via: str = "",
) -> bool:
    """Take a role away, recorded like a grant; returns whether the user had it."""
    lookup = (
        {"healthcare_region": scope} if isinstance(scope, HealthcareRegion) else {"region": scope}
    )
    with transaction.atomic():
        role_group = RoleGroup.objects.filter(role=role, **lookup).select_related("group").first()
        if role_group is None or not user.groups.filter(pk=role_group.group_id).exists():
            return False
        user.groups.remove(role_group.group)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.ROLE_REVOKED,
            subject_user=user,
            scope=scope,
            role=role,
            via=via,
        )
    return True


# People and memberships ------------------------------------------------------------


def person_create(
    *, actor: User | None, first_name: str, last_name: str, title: str = "", email: str = ""
) -> Person:
    with transaction.atomic(), history_context(actor):
        return _save(Person(first_name=first_name, last_name=last_name, title=title, email=email))


def person_chosen_or_created(*, actor: User | None, data: dict) -> Person:
    """The person an appointment form chose, or a new one from its name fields."""
    return data["person"] or person_create(
        actor=actor,
        first_name=data["first_name"].strip(),
        last_name=data["last_name"].strip(),
        title=(data.get("title") or "").strip(),
    )


def _check_region_belongs(body: Body, region: Region):
    if region.healthcare_region_id != body.healthcare_region_id and (
        region.cooperates_with_id != body.healthcare_region_id
    ):
        raise ValidationError(
            {
                "region": _("%(region)s ingår inte i %(hr)s.")
                % {"region": region.name, "hr": body.healthcare_region.name}
            }
        )


def _save_membership(membership: Membership) -> Membership:
    _check_region_belongs(membership.body, membership.region)
    membership.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as exc:
        diag = getattr(exc.__cause__, "diag", None)
        constraint = getattr(diag, "constraint_name", "") or ""
        if constraint == "membership_one_chair_at_a_time":
            raise ValidationError(
                {"role": _("Organet har redan en ordförande under den perioden.")}
            ) from None
        if constraint == "membership_no_overlapping_terms_per_person":
            raise ValidationError(
                {"person": _("Personen har redan ett uppdrag i organet under den perioden.")}
            ) from None
        raise
    return membership


def membership_create(
    *,
    actor: User | None,
    body: Body,
    person: Person,
    region: Region,
    role: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
) -> Membership:
    """Appoint a person to a body, representing a region, for a term."""
    with transaction.atomic(), history_context(actor):
        return _save_membership(
            Membership(
                body=body,
                person=person,
                region=region,
                role=role,
                starts_on=starts_on,
                ends_on=ends_on,
            )
        )


def membership_update(
    *,
    actor: User | None,
    membership: Membership,
    fields: dict,
    expected_updated_at: datetime.datetime | None = None,
) -> Membership:
    with transaction.atomic(), history_context(actor):
        current = lock_unchanged(Membership, membership.pk, expected_updated_at)
        return _save_membership(_apply(current, fields))


def membership_end(
    *, actor: User | None, membership: Membership, ends_on: datetime.date
) -> Membership:
    """End a term on a date (the last day of the term)."""
    if ends_on < membership.starts_on:
        raise ValidationError(
            {
                "ends_on": _("Uppdraget kan inte sluta före det började (%(date)s).")
                % {"date": membership.starts_on.isoformat()}
            }
        )
    return membership_update(actor=actor, membership=membership, fields={"ends_on": ends_on})


def imported_row_save(*, actor: User | None, obj: Body | Person | Membership):
    """Save one row of the admin's import (core.importexport) with the forms' checks.

    A membership gets the checks and Swedish constraint messages of membership_create;
    a body or person its full_clean. The import's own transaction makes it all or none.
    """
    with transaction.atomic(), history_context(actor):
        if isinstance(obj, Membership):
            return _save_membership(obj)
        if (
            isinstance(obj, Body)
            and obj.parent_id
            and (
                obj.parent.healthcare_region_id != obj.healthcare_region_id
                or obj.parent_id == obj.pk
            )
        ):
            raise ValidationError({"parent": _("Organet kan inte ingå i det valda organet.")})
        return _save(obj)


# Meetings, agenda items, decisions -------------------------------------------------


def meeting_create(
    *,
    actor: User | None,
    body: Body,
    date: datetime.date,
    start_time: datetime.time | None = None,
    place: str = "",
    title: str = "",
    notes: str = "",
) -> Meeting:
    with transaction.atomic(), history_context(actor):
        return _save(
            Meeting(
                body=body, date=date, start_time=start_time, place=place, title=title, notes=notes
            )
        )


def meeting_update(
    *,
    actor: User | None,
    meeting: Meeting,
    fields: dict,
    expected_updated_at: datetime.datetime | None = None,
) -> Meeting:
    with transaction.atomic(), history_context(actor):
        current = lock_unchanged(Meeting, meeting.pk, expected_updated_at)
        if (
            "body" in fields
            and fields["body"].healthcare_region_id != current.body.healthcare_region_id
        ):
            raise ValidationError({"body": _("Organet tillhör en annan sjukvårdsregion.")})
        return _save(_apply(current, fields))


def meeting_set_published(*, actor: User | None, meeting: Meeting, published: bool) -> Meeting:
    """Publish the minutes (they become public) or withdraw them."""
    return meeting_update(actor=actor, meeting=meeting, fields={"is_published": published})


def agenda_item_next_number(meeting: Meeting) -> int:
    return (meeting.agenda_items.aggregate(n=Max("number"))["n"] or 0) + 1


def agenda_item_create(
    *,
    actor: User | None,
    meeting: Meeting,
    title: str,
    description: str = "",
    number: int | None = None,
) -> AgendaItem:
    with transaction.atomic(), history_context(actor):
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        number = number or agenda_item_next_number(meeting)
        return _save(
            AgendaItem(meeting=meeting, number=number, title=title, description=description)
        )


def agenda_item_update(
    *,
    actor: User | None,
    item: AgendaItem,
    fields: dict,
    expected_updated_at: datetime.datetime | None = None,
) -> AgendaItem:
    with transaction.atomic(), history_context(actor):
        current = lock_unchanged(AgendaItem, item.pk, expected_updated_at)
        return _save(_apply(current, fields))


def agenda_item_delete(*, actor: User | None, item: AgendaItem) -> None:
    with transaction.atomic(), history_context(actor):
        item.delete()


def decision_next_paragraph(body: Body, year: int) -> int:
    """§ numbers run per body and calendar year, as in the nämnd's minutes."""
    last = Decision.objects.filter(meeting__body=body, meeting__date__year=year).aggregate(
        n=Max("paragraph")
    )["n"]
    return (last or 0) + 1


def _check_decision(decision: Decision):
    if decision.agenda_item_id and decision.agenda_item.meeting_id != decision.meeting_id:
        raise ValidationError({"agenda_item": _("Ärendet hör till ett annat sammanträde.")})
    clash = Decision.objects.filter(
        meeting__body_id=decision.meeting.body_id,
        meeting__date__year=decision.meeting.date.year,
        paragraph=decision.paragraph,
    ).exclude(pk=decision.pk)
    if clash.exists():
        raise ValidationError(
            {
                "paragraph": _("§ %(n)s finns redan för %(body)s %(year)s.")
                % {
                    "n": decision.paragraph,
                    "body": decision.meeting.body.name,
                    "year": decision.meeting.date.year,
                }
            }
        )


def decision_create(
    *,
    actor: User | None,
    meeting: Meeting,
    title: str,
    text: str,
    paragraph: int | None = None,
    agenda_item: AgendaItem | None = None,
    subject=None,
) -> Decision:
    """Record a decision (§) at a meeting; `subject` is the document it decides, if any."""
    with transaction.atomic(), history_context(actor):
        # Serialise § numbering per body so two kansli users cannot take the same number.
        Body.objects.select_for_update().get(pk=meeting.body_id)
        decision = Decision(
            meeting=meeting,
            agenda_item=agenda_item,
            title=title,
            text=text,
            paragraph=paragraph or decision_next_paragraph(meeting.body, meeting.date.year),
        )
        if subject is not None:
            decision.subject = subject
        _check_decision(decision)
        return _save(decision)


def decision_update(
    *,
    actor: User | None,
    decision: Decision,
    fields: dict,
    expected_updated_at: datetime.datetime | None = None,
) -> Decision:
    with transaction.atomic(), history_context(actor):
        Body.objects.select_for_update().get(pk=decision.meeting.body_id)
        current = lock_unchanged(Decision, decision.pk, expected_updated_at)
        _apply(current, fields)
        _check_decision(current)
        return _save(current)


def decision_delete(*, actor: User | None, decision: Decision) -> None:
    if decision.subject_id is not None:
        raise ValidationError(
            _("Beslutet gäller en handling och kan inte tas bort; ändra det i stället.")
        )
    with transaction.atomic(), history_context(actor):
        decision.delete()


# Audit -----------------------------------------------------------------------------


def audit_record(
    *,
    actor: User | None,
    action: str,
    subject_user: User | None = None,
    subject_label: str = "",
    scope: HealthcareRegion | Region | None = None,
    via: str = "",
    **detail,
) -> AuditEvent:
    """Record a security-relevant act (AuditEvent). Call inside the act's transaction, so
    the record exists exactly when the act does. Without an actor, `via` says how it was
    done (a management command)."""
    return AuditEvent.objects.create(
        action=action,
        actor=actor if actor is not None and actor.pk else None,
        actor_label=str(actor) if actor is not None else via,
        subject_user=subject_user,
        subject_label=subject_label or (str(subject_user) if subject_user else ""),
        healthcare_region=scope if isinstance(scope, HealthcareRegion) else None,
        region=scope if isinstance(scope, Region) else None,
        detail=detail,
    )
