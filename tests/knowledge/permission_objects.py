"""Objects the permission table (tests/test_permissions.py) needs for the knowledge rows.

A fixture here rather than in the shared `objects` fixture, imported by that module.
`kgroup` is led (processledare) by the `group_lead` user; `kgroup_other` is not.
"""

import datetime

import pytest

from knowledge.models import GroupKind, GroupRole
from tests.factories import PersonFactory
from tests.knowledge.factories import (
    GoalFactory,
    GroupMembershipFactory,
    IndicatorFactory,
    KnowledgeCouncilFactory,
    RegionalGroupFactory,
)


@pytest.fixture
def knowledge_objects(mellansverige, uppsala, group_lead):
    group = RegionalGroupFactory(healthcare_region=mellansverige, kind=GroupKind.COLLABORATION,
                                 name="Uppföljning och analys")
    lead = GroupMembershipFactory(group=group, region=uppsala, role=GroupRole.PROCESS_LEAD,
                                  person=PersonFactory(user=group_lead),
                                  starts_on=datetime.date(2020, 1, 1))
    other = RegionalGroupFactory(healthcare_region=mellansverige, name="Tandvård")
    goal = GoalFactory(healthcare_region=mellansverige, program_area=other)
    return {
        "kgroup": group.pk,
        "kgroup_other": other.pk,
        "kmember": lead.pk,
        "council": KnowledgeCouncilFactory(healthcare_region=mellansverige).pk,
        "goal": goal.pk,
        "indicator": IndicatorFactory(goal=goal).pk,
    }
