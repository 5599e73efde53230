"""The Historik page: every recorded change to a sjukvårdsregion's data.

The rows are written by database triggers (django-pghistory), so changes made by
bulk writes, the admin or a shell are recorded as well as those from the pages.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from pghistory.models import MiddlewareEvents

from regions.models import Body, Decision, HealthcareRegion, Meeting, Membership, Person, User

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


@dataclass(frozen=True)
class HistorySource:
    """One tracked model's events, and how to pick those of one sjukvårdsregion."""

    event_model: str
    scope: Callable[[HealthcareRegion], Q]


_SOURCES: list[HistorySource] = []


def register_history_source(event_model: str, scope: Callable[[HealthcareRegion], Q]) -> None:
    """Show a tracked model's changes on the Historik page.

    Apps that depend on `regions` register their models here (from AppConfig.ready),
    so the page covers them without `regions` importing them.
    """
    if all(source.event_model != event_model for source in _SOURCES):
        _SOURCES.append(HistorySource(event_model, scope))


def _ids(queryset) -> list[int]:
    return list(queryset.order_by().values_list("pk", flat=True))


def _body_ids(hr):
    return _ids(Body.objects.filter(healthcare_region=hr))


def _meeting_ids(hr):
    return _ids(Meeting.objects.filter(body__healthcare_region=hr))


def _person_ids(hr):
    return list(
        Membership.objects.filter(body__healthcare_region=hr)
        .order_by()
        .values_list("person_id", flat=True)
        .distinct()
    )


def by_field(field: str) -> Callable[[HealthcareRegion], Q]:
    """Events whose row has `field` equal to the sjukvårdsregion's id."""
    return lambda hr: Q(**{f"pgh_data__{field}": hr.pk})


def by_parent(field: str, parent_ids: Callable[[HealthcareRegion], list[int]]):
    """Events whose row points (`field`) at one of the sjukvårdsregion's parent rows."""
    return lambda hr: Q(**{f"pgh_data__{field}__in": parent_ids(hr)})


register_history_source("regions.HealthcareRegionEvent", lambda hr: Q(pgh_obj_id=str(hr.pk)))
register_history_source("regions.RegionEvent", by_field("healthcare_region_id"))
register_history_source("regions.BodyEvent", by_field("healthcare_region_id"))
register_history_source("regions.MembershipEvent", by_parent("body_id", _body_ids))
register_history_source("regions.MeetingEvent", by_parent("body_id", _body_ids))
register_history_source("regions.AgendaItemEvent", by_parent("meeting_id", _meeting_ids))
register_history_source("regions.DecisionEvent", by_parent("meeting_id", _meeting_ids))
register_history_source(
    "regions.PersonEvent", lambda hr: Q(pgh_obj_id__in=[str(pk) for pk in _person_ids(hr)])
)


def _scope_filter(healthcare_region: HealthcareRegion) -> Q:
    query = Q(pk__in=[])
    for source in _SOURCES:
        query |= Q(pgh_model=source.event_model) & source.scope(healthcare_region)
    return query


def _foreign_key(model, name: str):
    try:
        field = model._meta.get_field(name.removesuffix("_id"))
    except FieldDoesNotExist:
        return None
    # A GenericForeignKey (Decision.subject) is many-to-one too, but to no one model.
    return field if field.many_to_one and field.related_model is not None else None


class _Names:
    """What the rows of a page of events point at, by name, in one query per kind of row."""

    def __init__(self, events):
        wanted = defaultdict(set)
        for event in events:
            model = apps.get_model(event.pgh_obj_model)
            values = list((event.pgh_data or {}).items())
            values += [(name, v) for name, pair in (event.pgh_diff or {}).items() for v in pair]
            for name, value in values:
                field = _foreign_key(model, name)
                if field is not None and value is not None:
                    wanted[field.related_model].add(value)
        self._names = {}
        for related, ids in wanted.items():
            joins = [f.name for f in related._meta.fields if f.many_to_one]
            rows = related._default_manager.select_related(*joins).in_bulk(ids)
            self._names[related] = {pk: str(row) for pk, row in rows.items()}

    def display(self, model, name: str, value) -> str:
        if value is None or value == "":
            return "–"
        field = _foreign_key(model, name)
        if field is not None:
            return self._names.get(field.related_model, {}).get(value, f"#{value} ({_('borttagen')})")
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return str(value)
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return str(_("ja") if value else _("nej"))
        return str(value)

    def object_label(self, model, data: dict) -> str:
        if model is Person:
            return f"{data.get('first_name', '')} {data.get('last_name', '')}".strip()
        if model is Decision:
            return f"§ {data.get('paragraph')} {data.get('title', '')}"
        if "person_id" in data and "role" in data:
            return f"{self.display(model, 'person_id', data['person_id'])}, " \
                   f"{self.display(model, 'role', data['role']).lower()}"
        for key in ("title", "name"):
            if data.get(key):
                return data[key]
        return f"#{data.get('id')}"


def _field_label(model, field_name: str) -> str:
    try:
        return str(model._meta.get_field(field_name.removesuffix("_id")).verbose_name)
    except FieldDoesNotExist:
        return field_name


def governance_history(
    healthcare_region: HealthcareRegion, *, limit: int = 50, offset: int = 0
) -> list[HistoryEntry]:
    """Changes to the sjukvårdsregion's governance data, newest first, one page at a time."""
    events = list(
        MiddlewareEvents.objects.across(*(source.event_model for source in _SOURCES))
        .filter(_scope_filter(healthcare_region))
        .order_by("-pgh_created_at", "-pgh_id")[offset : offset + limit]
    )
    user_ids = {(e.pgh_context or {}).get("user") for e in events} - {None}
    users = {u.pk: str(u) for u in User.objects.filter(pk__in=user_ids)}
    names = _Names(events)
    entries = []
    for event in events:
        model = apps.get_model(event.pgh_obj_model)
        data = event.pgh_data or {}
        if event.pgh_label == "update" and event.pgh_diff:
            changes = [
                Change(_field_label(model, name), names.display(model, name, old),
                       names.display(model, name, new))
                for name, (old, new) in event.pgh_diff.items()
                if name not in HIDDEN_FIELDS
            ]
            if not changes:
                continue
        else:
            changes = [
                Change(_field_label(model, name),
                       "" if event.pgh_label == "insert" else names.display(model, name, value),
                       names.display(model, name, value) if event.pgh_label == "insert" else "")
                for name, value in data.items()
                if name not in HIDDEN_FIELDS and value not in (None, "")
            ]
        user_id = (event.pgh_context or {}).get("user")
        entries.append(HistoryEntry(
            when=event.pgh_created_at,
            who=users.get(user_id, _("systemet") if user_id is None else f"#{user_id}"),
            action=str(LABELS.get(event.pgh_label, event.pgh_label)),
            what=str(model._meta.verbose_name).capitalize(),
            object_label=names.object_label(model, data),
            changes=changes,
        ))
    return entries
