"""A plan's or an återrapport's Historik: every recorded change to it and its items,
newest first.

The rows are written by database triggers (django-pghistory), so copies made in
bulk ("Ny version", next year's plan) and imports are recorded as well. The
återrapport's changes are not on the sjukvårdsregion's Historik (regions.history):
that page is for every insider, and a draft återrapport's follow-ups are only for
those who write it; its own page applies its own access rules.
"""

from django.apps import apps
from django.utils.translation import gettext_lazy as _
from pghistory.models import MiddlewareEvents

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
from regions.history import Change, HistoryEntry
from regions.models import User

HIDDEN_FIELDS = {"id", "created_at", "updated_at", "origin", "position", "healthcare_region_id",
                 "previous_version_id", "report_id"}
LABELS = {"insert": _("Skapad"), "update": _("Ändrad"), "delete": _("Borttagen")}


def _ids(events, **filters) -> list[str]:
    return [str(pk) for pk in events.objects.filter(**filters).order_by()
            .values_list("pgh_obj_id", flat=True).distinct()]


def _scope(plan):
    """(event model label, object ids) pairs of everything that belongs to the plan
    (or återrapport)."""
    if isinstance(plan, FollowUpReport):
        follow_ups = _ids(ActivityFollowUpEvent, report_id=plan.pk)
        return [("plans.FollowUpReportEvent", [str(plan.pk)]),
                ("plans.FollowUpSectionEvent", _ids(FollowUpSectionEvent, report_id=plan.pk)),
                ("plans.ActivityFollowUpEvent", follow_ups),
                ("plans.FollowUpCommentEvent",
                 _ids(FollowUpCommentEvent, follow_up_id__in=follow_ups))]
    if isinstance(plan, OperationalPlan):
        sections = _ids(PlanSectionEvent, plan_id=plan.pk)
        return [("plans.OperationalPlanEvent", [str(plan.pk)]),
                ("plans.PlanSectionEvent", sections),
                ("plans.PlanGoalEvent", _ids(PlanGoalEvent, section_id__in=sections))]
    areas = _ids(FocusAreaEvent, activity_plan_id=plan.pk)
    activities = _ids(ActivityEvent, focus_area_id__in=areas)
    return [("plans.ActivityPlanEvent", [str(plan.pk)]),
            ("plans.FocusAreaEvent", areas),
            ("plans.ActivityEvent", activities),
            ("plans.ActivityRegionEvent", _ids(ActivityRegionEvent, activity_id__in=activities)),
            ("plans.ActivityGoalEvent", _ids(ActivityGoalEvent, activity_id__in=activities))]


def _display(model, name: str, value) -> str:
    if value is None or value == "":
        return "–"
    try:
        field = model._meta.get_field(name.removesuffix("_id"))
    except Exception:
        return str(value)
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("ja") if value else _("nej"))
    if field.is_relation and field.related_model is not None:
        obj = field.related_model._default_manager.filter(pk=value).first()
        return str(obj) if obj else f"#{value}"
    return plain(str(value)) if isinstance(value, str) else str(value)


def _label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name.removesuffix("_id")).verbose_name).capitalize()
    except Exception:
        return name


def _object_label(model, data: dict) -> str:
    for key in ("title", "heading", "name"):
        if data.get(key):
            return data[key]
    # A follow-up, an återrapport's section or an activity's link is known by what it is of.
    for key in ("activity_id", "focus_area_id"):
        if data.get(key):
            return _display(model, key, data[key])
    if data.get("text"):
        return plain(data["text"])[:90]
    return ""


def plan_history_events(plan, *, limit: int = 50, offset: int = 0) -> list[HistoryEntry]:
    """Changes to the plan (or återrapport) and its items, newest first, one page at a time."""
    from django.db.models import Q

    scope = _scope(plan)
    condition = Q()
    for label, ids in scope:
        if ids:
            condition |= Q(pgh_model=label, pgh_obj_id__in=ids)
    events = list(MiddlewareEvents.objects.across(*[label for label, _ids in scope])
                  .filter(condition).order_by("-pgh_created_at", "-pgh_id")[offset:offset + limit])
    user_ids = {(e.pgh_context or {}).get("user") for e in events} - {None}
    users = {u.pk: str(u) for u in User.objects.filter(pk__in=user_ids)}
    entries = []
    for event in events:
        model = apps.get_model(event.pgh_obj_model)
        data = event.pgh_data or {}
        if event.pgh_label == "update":
            changes = [Change(_label(model, name), _display(model, name, old),
                              _display(model, name, new))
                       for name, (old, new) in (event.pgh_diff or {}).items()
                       if name not in HIDDEN_FIELDS]
            if not changes:
                continue
        else:
            inserted = event.pgh_label == "insert"
            changes = [Change(_label(model, name),
                              "" if inserted else _display(model, name, value),
                              _display(model, name, value) if inserted else "")
                       for name, value in data.items()
                       if name not in HIDDEN_FIELDS and value not in (None, "")]
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


PAGE_SIZE = 50


def history_page(request, subject) -> dict:
    """The Historik page's context: one page (`?sida=`) of the subject's changes."""
    try:
        page = max(1, int(request.GET.get("sida", "1")))
    except ValueError:
        page = 1
    events = plan_history_events(subject, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    return {"events": events[:PAGE_SIZE], "page": page,
            "older_page": page + 1 if len(events) > PAGE_SIZE else None,
            "newer_page": page - 1 if page > 1 else None}
