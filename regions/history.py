"""The Historik page: every recorded change to a sjukvårdsregion's governance data.

The rows are written by database triggers (django-pghistory), so changes made by
bulk writes, the admin or a shell are recorded as well as those from the pages.
"""

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from pghistory.models import MiddlewareEvents

from regions.models import Body, HealthcareRegion, Meeting, Membership, User

HIDDEN_FIELDS = {"id", "created_at", "updated_at"}
LABELS = {"insert": _("Skapad"), "update": _("Ändrad"), "delete": _("Borttagen")}


@dataclass
class Change:
    field: str
    before: str
    after: str


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    action: str
    what: str
    object_label: str
    changes: list[Change]


def _scope_filter(healthcare_region: HealthcareRegion) -> Q:
    body_ids = list(Body.objects.filter(healthcare_region=healthcare_region).values_list("pk", flat=True))
    meeting_ids = list(Meeting.objects.filter(body_id__in=body_ids).values_list("pk", flat=True))
    person_ids = list(
        Membership.objects.filter(body_id__in=body_ids)
        .order_by()
        .values_list("person_id", flat=True)
        .distinct()
    )
    return (
        Q(pgh_model="regions.HealthcareRegionEvent", pgh_obj_id=str(healthcare_region.pk))
        | Q(pgh_model="regions.RegionEvent", pgh_data__healthcare_region_id=healthcare_region.pk)
        | Q(pgh_model="regions.BodyEvent", pgh_data__healthcare_region_id=healthcare_region.pk)
        | Q(pgh_model="regions.MembershipEvent", pgh_data__body_id__in=body_ids)
        | Q(pgh_model="regions.MeetingEvent", pgh_data__body_id__in=body_ids)
        | Q(pgh_model="regions.AgendaItemEvent", pgh_data__meeting_id__in=meeting_ids)
        | Q(pgh_model="regions.DecisionEvent", pgh_data__meeting_id__in=meeting_ids)
        | Q(pgh_model="regions.PersonEvent", pgh_obj_id__in=[str(pk) for pk in person_ids])
    )


def _display(model, field_name: str, value) -> str:
    if value is None or value == "":
        return "–"
    try:
        field = model._meta.get_field(field_name.removesuffix("_id"))
    except Exception:
        return str(value)
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("ja") if value else _("nej")
    return str(value)


def _field_label(model, field_name: str) -> str:
    try:
        return str(model._meta.get_field(field_name.removesuffix("_id")).verbose_name)
    except Exception:
        return field_name


def _object_label(model, data: dict) -> str:
    for key in ("title", "name"):
        if data.get(key):
            return data[key]
    if model.__name__ == "Person":
        return f"{data.get('first_name', '')} {data.get('last_name', '')}".strip()
    if model.__name__ == "Decision":
        return f"§ {data.get('paragraph')} {data.get('title', '')}"
    return f"#{data.get('id')}"


def governance_history(
    healthcare_region: HealthcareRegion, *, limit: int = 50, offset: int = 0
) -> list[HistoryEntry]:
    """Changes to the sjukvårdsregion's governance data, newest first, one page at a time."""
    events = list(
        MiddlewareEvents.objects.across(
            "regions.HealthcareRegionEvent", "regions.RegionEvent", "regions.BodyEvent",
            "regions.PersonEvent", "regions.MembershipEvent", "regions.MeetingEvent",
            "regions.AgendaItemEvent", "regions.DecisionEvent",
        )
        .filter(_scope_filter(healthcare_region))
        .order_by("-pgh_created_at", "-pgh_id")[offset : offset + limit]
    )
    user_ids = {(e.pgh_context or {}).get("user") for e in events} - {None}
    users = {u.pk: str(u) for u in User.objects.filter(pk__in=user_ids)}
    entries = []
    for event in events:
        model = apps.get_model(event.pgh_obj_model)
        data = event.pgh_data or {}
        if event.pgh_label == "update" and event.pgh_diff:
            changes = [
                Change(_field_label(model, name), _display(model, name, old), _display(model, name, new))
                for name, (old, new) in event.pgh_diff.items()
                if name not in HIDDEN_FIELDS
            ]
            if not changes:
                continue
        else:
            changes = [
                Change(_field_label(model, name), "" if event.pgh_label == "insert" else _display(model, name, value),
                       _display(model, name, value) if event.pgh_label == "insert" else "")
                for name, value in data.items()
                if name not in HIDDEN_FIELDS and value not in (None, "")
            ]
        user_id = (event.pgh_context or {}).get("user")
        entries.append(HistoryEntry(
            when=event.pgh_created_at,
            who=users.get(user_id, _("systemet") if user_id is None else f"#{user_id}"),
            action=str(LABELS.get(event.pgh_label, event.pgh_label)),
            what=str(model._meta.verbose_name).capitalize(),
            object_label=_object_label(model, data),
            changes=changes,
        ))
    return entries
