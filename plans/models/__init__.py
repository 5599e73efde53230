"""Verksamhetsplaner and aktivitetsplaner: sections, goals, fokusområden and activities.

One module per subject: common (states, PlanDocument), operational (verksamhetsplaner),
activities (aktivitetsplaner) and followups (återrapporter). Models hold single-row
rules and constraints; writes go through `plans.services` and `plans.followups.services`,
reads and access checks through the selectors beside them. Every table is tracked by
django-pghistory, so the plan's Historik page can show who changed what; pghistory
puts the event models (ActivityEvent, …) on this package.

A plan is versioned: "Ny version" copies a decided plan into a new draft. Each copied
section, goal, fokusområde and activity keeps the `origin` of the one it was copied
from, which is how two versions are compared item by item.
"""

from plans.models.activities import Activity, ActivityGoal, ActivityPlan, ActivityRegion, FocusArea
from plans.models.common import EDITABLE_STATES, PUBLIC_STATES, PlanDocument, PlanState
from plans.models.followups import (
    ActivityFollowUp,
    FollowUpComment,
    FollowUpReport,
    FollowUpSection,
    FollowUpStatus,
    ReportState,
)
from plans.models.operational import OperationalPlan, PlanGoal, PlanSection

__all__ = [
    "EDITABLE_STATES",
    "PUBLIC_STATES",
    "Activity",
    "ActivityFollowUp",
    "ActivityGoal",
    "ActivityPlan",
    "ActivityRegion",
    "FocusArea",
    "FollowUpComment",
    "FollowUpReport",
    "FollowUpSection",
    "FollowUpStatus",
    "OperationalPlan",
    "PlanDocument",
    "PlanGoal",
    "PlanSection",
    "PlanState",
    "ReportState",
]
