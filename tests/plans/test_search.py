"""The sjukvårdsregion's search finds plans, their goals and activities (issue 4, point 8)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.urls import reverse

from knowledge.search import knowledge_search
from plans import services as plan_services
from plans.models import ActivityPlan
from regions import services
from regions.models import HealthcareRegion, RoleGroup
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ANONYMOUS = AnonymousUser()


@pytest.fixture
def demo(db):
    call_command(
        "loaddata", "regions.yaml", "governance.yaml", "knowledge.yaml", "plans.yaml", verbosity=0
    )
    return HealthcareRegion.objects.get(slug="mellansverige")


@pytest.fixture
def demo_kansli(demo):
    user = UserFactory(username="kansli")
    services.role_grant(user=user, role=RoleGroup.Role.KANSLI, scope=demo)
    return user


def _titles(user, healthcare_region, q):
    return {(hit.kind, hit.title): hit for hit in knowledge_search(user, healthcare_region, q)}


def test_anyone_finds_the_goal_of_a_decided_verksamhetsplan(client, demo):
    page = client.get(
        reverse("knowledge:search", kwargs={"hr": "mellansverige"}), {"q": "prislista"}
    ).content.decode()
    assert "Fastställa en årlig sjukvårdsregional prislista" in page
    hit = _titles(ANONYMOUS, demo, "prislista")[
        ("Mål i verksamhetsplanen", "Fastställa en årlig sjukvårdsregional prislista")
    ]
    assert "/mellansverige/planering/verksamhetsplaner/1/#mal-" in hit.url
    assert client.get(hit.url.split("#")[0]).status_code == 200


def test_an_activity_of_a_draft_is_found_by_the_kansli_only(client, demo, demo_kansli):
    decided = ActivityPlan.objects.get(healthcare_region=demo, year=2023)
    draft = plan_services.plan_new_version(actor=demo_kansli, plan=decided)
    plan_services.activity_create(
        actor=demo_kansli,
        focus_area=draft.focus_areas.first(),
        title="Utarbetande av sjukvårdsregional prislista 2028",
    )
    activity = ("Aktivitet", "Utarbetande av sjukvårdsregional prislista 2028")
    url = reverse("knowledge:search", kwargs={"hr": "mellansverige"})
    assert activity[1] not in client.get(url, {"q": "prislista"}).content.decode()
    client.force_login(demo_kansli)
    assert activity[1] in client.get(url, {"q": "prislista"}).content.decode()
    assert "(utkast)" in _titles(demo_kansli, demo, "prislista")[activity].snippet


def test_a_section_of_sodras_verksamhetsplan_is_found_by_its_heading(demo):
    hits = _titles(ANONYMOUS, HealthcareRegion.objects.get(slug="sodra"), "kunskapsstyrning")
    assert ("Avsnitt", "§ 8.3 KUNSKAPSSTYRNING") in hits


def test_another_sjukvardsregions_plans_are_not_searched(demo):
    assert not [
        h
        for h in knowledge_search(
            ANONYMOUS, HealthcareRegion.objects.get(slug="sodra"), "prislista"
        )
        if "Mellansverige" in h.url
    ]
