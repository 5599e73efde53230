"""Plans on top of the shared two sjukvårdsregioner: Mellansverige's verksamhetsplan
(decided at `published_meeting`) with one section and goal, and its aktivitetsplan in
each state that matters."""

import pytest

from plans.models import PlanState
from tests.factories import DecisionFactory
from tests.plans.factories import (
    ActivityFactory,
    ActivityPlanFactory,
    FocusAreaFactory,
    OperationalPlanFactory,
    PlanGoalFactory,
    PlanSectionFactory,
)


@pytest.fixture
def operational_plan(mellansverige, published_meeting):
    plan = OperationalPlanFactory(
        healthcare_region=mellansverige,
        state=PlanState.DECIDED,
        decision=DecisionFactory(meeting=published_meeting, paragraph=41),
        title="Verksamhetsplan 2021–2024",
    )
    PlanGoalFactory(
        section=PlanSectionFactory(plan=plan, heading="Verksamhetsplan 2021-2024"),
        text="Utveckla arbetet med kunskapsstyrning",
    )
    return plan


@pytest.fixture
def draft_plan(operational_plan):
    plan = ActivityPlanFactory(operational_plan=operational_plan, state=PlanState.DRAFT)
    area = FocusAreaFactory(activity_plan=plan, name="Kunskapsstyrning")
    ActivityFactory(focus_area=area, title="Utveckla och sprida vårdförlopp")
    return plan


@pytest.fixture
def area(draft_plan):
    return draft_plan.focus_areas.get()


@pytest.fixture
def activity(area):
    return area.activities.get()
