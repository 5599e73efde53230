"""Shared fixtures: two sjukvårdsregioner with their regions, and one user per role.

Mellansverige (with Region Uppsala and Region Dalarna) is the "own" sjukvårdsregion
of most tests; Södra (with Region Skåne) is "the other one".
"""

import pytest
from django.core.cache import cache

from regions import services
from regions.models import Body, RoleGroup
from tests.factories import (
    BodyFactory,
    HealthcareRegionFactory,
    MeetingFactory,
    RegionFactory,
    UserFactory,
)

pytest_plugins = ["tests.fixtures_celery", "tests.fixtures_redis"]

PASSWORD = "ett-bra-losenord"


@pytest.fixture(autouse=True)
def _clear_cache():
    # Log-in attempts under way and report limits are counted in the cache (Redis); no
    # test may inherit another's.
    cache.clear()
    yield


@pytest.fixture
def mellansverige(db):
    return HealthcareRegionFactory(
        slug="mellansverige", name="Sjukvårdsregion Mellansverige", short_name="Mellansverige"
    )


@pytest.fixture
def sodra(db):
    return HealthcareRegionFactory(slug="sodra", name="Södra sjukvårdsregionen", short_name="Södra")


@pytest.fixture
def uppsala(mellansverige):
    return RegionFactory(
        scb_code="03", name="Region Uppsala", short_name="Uppsala", healthcare_region=mellansverige
    )


@pytest.fixture
def dalarna(mellansverige):
    return RegionFactory(
        scb_code="20", name="Region Dalarna", short_name="Dalarna", healthcare_region=mellansverige
    )


@pytest.fixture
def skane(sodra):
    return RegionFactory(
        scb_code="12", name="Region Skåne", short_name="Skåne", healthcare_region=sodra
    )


@pytest.fixture
def board(mellansverige):
    return BodyFactory(
        healthcare_region=mellansverige,
        kind=Body.Kind.BOARD,
        name="Samverkansnämnden",
        rotates_leadership=True,
    )


@pytest.fixture
def sodra_board(sodra):
    return BodyFactory(
        healthcare_region=sodra, kind=Body.Kind.BOARD, name="Södra regionvårdsnämnden"
    )


@pytest.fixture
def draft_meeting(board):
    return MeetingFactory(body=board, is_published=False, title="Sammanträde i utkast")


@pytest.fixture
def published_meeting(board):
    return MeetingFactory(body=board, is_published=True, title="Publicerat sammanträde")


def _user_with_role(username, role, scope):
    user = UserFactory(username=username)
    if role:
        services.role_grant(user=user, role=role, scope=scope)
    return user


@pytest.fixture
def kansli(mellansverige):
    return _user_with_role("kansli", RoleGroup.Role.KANSLI, mellansverige)


@pytest.fixture
def kansli_sodra(sodra):
    return _user_with_role("kansli.sodra", RoleGroup.Role.KANSLI, sodra)


@pytest.fixture
def board_member(mellansverige):
    return _user_with_role("namnd", RoleGroup.Role.BOARD_MEMBER, mellansverige)


@pytest.fixture
def group_lead(mellansverige):
    return _user_with_role("gruppledare", RoleGroup.Role.GROUP_LEAD, mellansverige)


@pytest.fixture
def price_contact_dalarna(dalarna):
    return _user_with_role("pris.dalarna", RoleGroup.Role.PRICE_CONTACT, dalarna)


@pytest.fixture
def price_contact_uppsala(uppsala):
    return _user_with_role("pris.uppsala", RoleGroup.Role.PRICE_CONTACT, uppsala)


@pytest.fixture
def plain_user(db):
    return _user_with_role("utan.roll", None, None)
