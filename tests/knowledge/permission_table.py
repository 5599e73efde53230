"""The knowledge rows of the permission table (tests/test_permissions.py) and their objects.

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
from tests.permission_columns import KANSLI_ONLY, PUBLIC, write


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


KWARG_NAMES = {"kgroup": "pk", "kgroup_other": "pk", "kmember": "pk", "council": "pk",
               "goal": "pk", "indicator": "pk"}

ROWS = [
    ("knowledge:national", ("hr",), "get", PUBLIC),
    ("knowledge:search", ("hr",), "get", PUBLIC),
    ("knowledge:group", ("hr", "kgroup"), "get", PUBLIC),
    ("knowledge:group_create", ("hr",), "get", KANSLI_ONLY),
    ("knowledge:group_update", ("hr", "kgroup"), "get", KANSLI_ONLY),
    ("knowledge:group_mandate", ("hr", "kgroup"), "get", {**KANSLI_ONLY, "group_lead": 200}),
    ("knowledge:group_mandate", ("hr", "kgroup_other"), "get", KANSLI_ONLY),
    ("knowledge:group_membership_create", ("hr", "kgroup"), "get", KANSLI_ONLY),
    ("knowledge:group_membership_end", ("hr", "kmember"), "get", KANSLI_ONLY),
    ("knowledge:council", ("hr", "council"), "get", PUBLIC),
    ("knowledge:council_create", ("hr",), "get", KANSLI_ONLY),
    ("knowledge:council_membership_create", ("hr", "council"), "get", KANSLI_ONLY),
    ("knowledge:goals", ("hr",), "get", PUBLIC),
    ("knowledge:goal", ("hr", "goal"), "get", PUBLIC),
    ("knowledge:indicator_value_create", ("hr", "indicator"), "get", KANSLI_ONLY),
    ("knowledge:indicator_upload", ("hr", "indicator"), "get", KANSLI_ONLY),
    ("knowledge:group_mandate", ("hr", "kgroup"), "post", write({**KANSLI_ONLY, "group_lead": 200})),
    ("knowledge:group_mandate", ("hr", "kgroup_other"), "post", write(KANSLI_ONLY)),
    ("knowledge:group_membership_create", ("hr", "kgroup"), "post", KANSLI_ONLY),
    ("knowledge:indicator_upload", ("hr", "indicator"), "post", KANSLI_ONLY),
]
