"""The knowledge rows of the permission table (tests/test_permissions.py) and their objects.

A fixture here rather than in the shared `objects` fixture, imported by that module.
`kgroup` is led (processledare) by the `group_lead` user; `kgroup_other` is not.
"""

import datetime

import pytest

from knowledge.models import GroupKind, GroupRole
from tests.factories import PersonFactory
from tests.knowledge.factories import (
    CouncilMembershipFactory,
    GoalFactory,
    GroupMembershipFactory,
    IndicatorFactory,
    KnowledgeCouncilFactory,
    RegionalGroupFactory,
)
from tests.permission_columns import INSIDERS, KANSLI_ON_HIDDEN, KANSLI_ONLY, PUBLIC, write


@pytest.fixture
def knowledge_objects(mellansverige, uppsala, group_lead):
    group = RegionalGroupFactory(
        healthcare_region=mellansverige, kind=GroupKind.COLLABORATION, name="Uppföljning och analys"
    )
    lead = GroupMembershipFactory(
        group=group,
        region=uppsala,
        role=GroupRole.PROCESS_LEAD,
        person=PersonFactory(user=group_lead),
        starts_on=datetime.date(2020, 1, 1),
    )
    other = RegionalGroupFactory(healthcare_region=mellansverige, name="Tandvård")
    goal = GoalFactory(healthcare_region=mellansverige, program_area=other)
    council = KnowledgeCouncilFactory(healthcare_region=mellansverige)
    return {
        "kgroup": group.pk,
        "kgroup_other": other.pk,
        "kmember": lead.pk,
        "council": council.pk,
        "kcmember": CouncilMembershipFactory(council=council, region=uppsala).pk,
        "kgoal": goal.pk,
        "kgoal_hidden": GoalFactory(healthcare_region=mellansverige, is_published=False).pk,
        "kindicator": IndicatorFactory(goal=goal).pk,
    }


KWARG_NAMES = {
    "kgroup": "pk",
    "kgroup_other": "pk",
    "kmember": "pk",
    "council": "pk",
    "kcmember": "pk",
    "kgoal": "pk",
    "kgoal_hidden": "pk",
    "kindicator": "pk",
}

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
    ("knowledge:goal", ("hr", "kgoal"), "get", PUBLIC),
    ("knowledge:indicator_value_create", ("hr", "kindicator"), "get", KANSLI_ONLY),
    ("knowledge:indicator_upload", ("hr", "kindicator"), "get", KANSLI_ONLY),
    ("knowledge:council_membership_end", ("hr", "kcmember"), "get", KANSLI_ONLY),
    ("knowledge:hosting_create", ("hr",), "get", KANSLI_ONLY),
    ("knowledge:goal_create", ("hr",), "get", KANSLI_ONLY),
    ("knowledge:goal_update", ("hr", "kgoal"), "get", KANSLI_ONLY),
    ("knowledge:goal", ("hr", "kgoal_hidden"), "get", INSIDERS),
    ("knowledge:goal_update", ("hr", "kgoal_hidden"), "get", KANSLI_ON_HIDDEN),
    ("knowledge:indicator_create", ("hr", "kgoal_hidden"), "get", KANSLI_ON_HIDDEN),
    ("knowledge:indicator_create", ("hr", "kgoal"), "get", KANSLI_ONLY),
    ("knowledge:indicator_update", ("hr", "kindicator"), "get", KANSLI_ONLY),
    # An empty POST: the kansli is shown the form's errors (200), nothing is written.
    ("knowledge:council_membership_end", ("hr", "kcmember"), "post", KANSLI_ONLY),
    ("knowledge:hosting_create", ("hr",), "post", KANSLI_ONLY),
    ("knowledge:goal_create", ("hr",), "post", KANSLI_ONLY),
    ("knowledge:goal_update", ("hr", "kgoal"), "post", KANSLI_ONLY),
    ("knowledge:indicator_create", ("hr", "kgoal"), "post", KANSLI_ONLY),
    ("knowledge:indicator_update", ("hr", "kindicator"), "post", KANSLI_ONLY),
    (
        "knowledge:group_mandate",
        ("hr", "kgroup"),
        "post",
        write({**KANSLI_ONLY, "group_lead": 200}),
    ),
    ("knowledge:group_mandate", ("hr", "kgroup_other"), "post", write(KANSLI_ONLY)),
    ("knowledge:group_membership_create", ("hr", "kgroup"), "post", KANSLI_ONLY),
    ("knowledge:indicator_upload", ("hr", "kindicator"), "post", KANSLI_ONLY),
]
