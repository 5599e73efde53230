"""Kunskapsstyrning fixtures on top of the shared two sjukvårdsregioner.

`rsg` is a Mellansverige group whose current processledare is the `group_lead`
user; `other_group` is one they do not lead.
"""

import datetime

import pytest

from knowledge.models import GroupKind, GroupRole
from tests.factories import PersonFactory
from tests.knowledge.factories import GroupMembershipFactory, RegionalGroupFactory


@pytest.fixture
def rsg(mellansverige, uppsala, group_lead):
    group = RegionalGroupFactory(
        healthcare_region=mellansverige,
        kind=GroupKind.COLLABORATION,
        name="Uppföljning och analys",
        mandate="<p>Stödja NPO.</p>",
    )
    GroupMembershipFactory(
        group=group,
        region=uppsala,
        role=GroupRole.PROCESS_LEAD,
        person=PersonFactory(first_name="Greta", last_name="Provström", user=group_lead),
        starts_on=datetime.date(2020, 1, 1),
    )
    return group


@pytest.fixture
def other_group(mellansverige):
    return RegionalGroupFactory(
        healthcare_region=mellansverige,
        kind=GroupKind.COLLABORATION,
        name="Strukturerad vårdinformation",
    )


@pytest.fixture
def other_group_lead(other_group, dalarna):
    from regions.models import RoleGroup
    from tests.conftest import _user_with_role

    user = _user_with_role(
        "gruppledare.annan", RoleGroup.Role.GROUP_LEAD, other_group.healthcare_region
    )
    GroupMembershipFactory(
        group=other_group,
        region=dalarna,
        role=GroupRole.CHAIR,
        person=PersonFactory(last_name="Annansson", user=user),
        starts_on=datetime.date(2020, 1, 1),
    )
    return user
