"""A plan's or an återrapport's Historik: every recorded change to it and its items,
newest first.

The rows are written by database triggers (django-pghistory), so copies made in
bulk ("Ny version", next year's plan) and imports are recorded as well. The
återrapport's changes are not on the sjukvårdsregion's Historik (regions.history):
that page is for every insider, and a draft återrapport's follow-ups are only for
those who write it; its own page applies its own access rules.
"""

from django.db.models import Q
from pghistory.models import MiddlewareEvents

from core.history import HIDDEN_FIELDS as COMMON_HIDDEN_FIELDS
from core.history import HistoryEntry, Names, history_entries
from plans.models import (
    ActivityEvent,
    ActivityFollowUpEvent,
    ActivityGoalEvent,
    ActivityRegionEvent,
    FocusAreaEvent,
    FollowUpCommentEvent,
    FollowUpReport,
    FollowUpSectionEvent,
    OperationalPlan,
    PlanGoalEvent,
    PlanSectionEvent,
)
from plans.richtext import plain

HIDDEN_FIELDS = COMMON_HIDDEN_FIELDS | {
    "origin",
    "position",
    "healthcare_region_id",
    "previous_version_id",
    "report_id",
}


def _ids(events, **filters) -> list[str]:
    return [
        str(pk)
        for pk in events.objects.filter(**filters)
        .order_by()
        .values_list("pgh_obj_id", flat=True)
        .distinct()
    ]


def _scope(plan):
    """(event model label, object ids) pairs of everything that belongs to the plan
    (or återrapport)."""
    if isinstance(plan, FollowUpReport):
        follow_ups = _ids(ActivityFollowUpEvent, report_id=plan.pk)
        return [
            ("plans.FollowUpReportEvent", [str(plan.pk)]),
            ("plans.FollowUpSectionEvent", _ids(FollowUpSectionEvent, report_id=plan.pk)),
            ("plans.ActivityFollowUpEvent", follow_ups),
            ("plans.FollowUpCommentEvent", _ids(FollowUpCommentEvent, follow_up_id__in=follow_ups)),
        ]
    if isinstance(plan, OperationalPlan):
        sections = _ids(PlanSectionEvent, plan_id=plan.pk)
        return [
            ("plans.OperationalPlanEvent", [str(plan.pk)]),
            ("plans.PlanSectionEvent", sections),
            ("plans.PlanGoalEvent", _ids(PlanGoalEvent, section_id__in=sections)),
        ]
    areas = _ids(FocusAreaEvent, activity_plan_id=plan.pk)
    activities = _ids(ActivityEvent, focus_area_id__in=areas)
    return [
        ("plans.ActivityPlanEvent", [str(plan.pk)]),
        ("plans.FocusAreaEvent", areas),
        ("plans.ActivityEvent", activities),
        ("plans.ActivityRegionEvent", _ids(ActivityRegionEvent, activity_id__in=activities)),
        ("plans.ActivityGoalEvent", _ids(ActivityGoalEvent, activity_id__in=activities)),
    ]


def _object_label(names: Names, model, data: dict) -> str:
    for key in ("title", "heading", "name"):
        if data.get(key):
            return data[key]
    # A follow-up, an återrapport's section or an activity's link is known by what it is of.
    for key in ("activity_id", "focus_area_id"):
        if data.get(key):
            return names.display(model, key, data[key])
    if data.get("text"):
        return plain(data["text"])[:90]
    return ""


def plan_history_events(plan, *, limit: int = 50, offset: int = 0) -> list[HistoryEntry]:
    """Changes to the plan (or återrapport) and its items, newest first, one page at a time."""
    scope = _scope(plan)
    condition = Q()
    for label, ids in scope:
        if ids:
            condition |= Q(pgh_model=label, pgh_obj_id__in=ids)
    events = (
        MiddlewareEvents.objects.across(*[label for label, _ids in scope])
        .filter(condition)
        .order_by("-pgh_created_at", "-pgh_id")[offset : offset + limit]
    )
    return history_entries(events, object_label=_object_label, hidden=HIDDEN_FIELDS, text=plain)
