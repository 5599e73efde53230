"""The sjukvårdsregion's Historik page: every recorded change to its governance data and
to what other apps register (core.history), for the insiders."""

from django.db.models import Q
from pghistory.models import MiddlewareEvents

from core.history import (
    HistoryEntry,
    Names,
    by_field,
    by_parent,
    history_entries,
    register_history_source,
    registered_sources,
)
from regions.models import Body, Decision, HealthcareRegion, Meeting, Membership, Person


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


def _object_label(names: Names, model, data: dict) -> str:
    if model is Person:
        return f"{data.get('first_name', '')} {data.get('last_name', '')}".strip()
    if model is Decision:
        return f"§ {data.get('paragraph')} {data.get('title', '')}"
    if "person_id" in data and "role" in data:
        return (
            f"{names.display(model, 'person_id', data['person_id'])}, "
            f"{names.display(model, 'role', data['role']).lower()}"
        )
    for key in ("title", "name"):
        if data.get(key):
            return data[key]
    return f"#{data.get('id')}"


def governance_history(
    healthcare_region: HealthcareRegion, *, limit: int = 50, offset: int = 0
) -> list[HistoryEntry]:
    """Changes to the sjukvårdsregion's data, newest first, one page at a time."""
    sources = registered_sources()
    scope = Q(pk__in=[])
    for source in sources:
        scope |= Q(pgh_model=source.event_model) & source.scope(healthcare_region)
    events = (
        MiddlewareEvents.objects.across(*(source.event_model for source in sources))
        .filter(scope)
        .order_by("-pgh_created_at", "-pgh_id")[offset : offset + limit]
    )
    return history_entries(events, object_label=_object_label)
