"""Decided plans come from the cache (plans.cache), and never show what has since changed."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans import services
from plans.models import PlanState
from regions.models import RoleGroup
from regions.services import role_grant, role_revoke
from tests.factories import BodyFactory, DecisionFactory, UserFactory
from tests.plans.factories import ActivityFactory, ActivityPlanFactory, FocusAreaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided_plan(operational_plan, published_meeting):
    plan = ActivityPlanFactory(
        operational_plan=operational_plan,
        state=PlanState.DECIDED,
        decision=DecisionFactory(meeting=published_meeting, paragraph=42),
    )
    body = BodyFactory(healthcare_region=plan.healthcare_region, name="Produktionsgruppen")
    area = FocusAreaFactory(activity_plan=plan, name="Verksamhet och utveckling")
    ActivityFactory(focus_area=area, title="Stärka produktionssamarbetet", responsible_body=body)
    return plan


def _get(client, plan):
    response = client.get(plan.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_an_anonymous_visitor_gets_a_decided_plan_without_a_query(client, decided_plan):
    first = _get(client, decided_plan)
    with CaptureQueriesContext(connection) as queries:
        assert _get(client, decided_plan) == first
    assert len(queries) == 0
    assert "Stärka produktionssamarbetet" in first


def test_a_signed_in_reader_gets_the_items_of_a_decided_plan_from_the_cache(
    client, board_member, decided_plan
):
    client.force_login(board_member)
    _get(client, decided_plan)
    with CaptureQueriesContext(connection) as queries:
        assert "Stärka produktionssamarbetet" in _get(client, decided_plan)
    assert not [
        q
        for q in queries
        if 'FROM "plans_activity"' in q["sql"] or 'FROM "plans_focusarea"' in q["sql"]
    ]


def test_a_renamed_responsible_body_shows_on_the_cached_plan(
    client, board_member, decided_plan, django_capture_on_commit_callbacks
):
    assert "Produktionsgruppen" in _get(client, decided_plan)
    client.force_login(board_member)
    assert "Produktionsgruppen" in _get(client, decided_plan)
    body = decided_plan.focus_areas.get().activities.get().responsible_body
    with django_capture_on_commit_callbacks(execute=True):
        body.name = "Produktionsplaneringsgruppen"
        body.save()
    assert "Produktionsplaneringsgruppen" in _get(client, decided_plan)
    client.logout()
    assert "Produktionsplaneringsgruppen" in _get(client, decided_plan)


def test_a_plan_archived_by_its_next_version_is_shown_archived(
    client, kansli, decided_plan, draft_meeting, django_capture_on_commit_callbacks
):
    assert "Beslutad" in _get(client, decided_plan)
    with django_capture_on_commit_callbacks(execute=True):
        copy = services.plan_new_version(actor=kansli, plan=decided_plan)
        services.plan_transition(actor=kansli, plan=copy, to_state=PlanState.REVIEW)
        services.plan_decide(actor=kansli, plan=copy, meeting=draft_meeting, paragraph=43)
    page = _get(client, decided_plan)
    assert "Arkiverad" in page and "Version 2 (beslutad)" in page


def test_a_draft_is_never_cached(client, kansli, draft_plan, activity):
    client.force_login(kansli)
    _get(client, draft_plan)
    activity.title = "Ny rubrik"
    activity.save()
    assert "Ny rubrik" in _get(client, draft_plan)


def test_the_public_is_not_told_of_a_draft_of_the_next_version(client, kansli, decided_plan):
    copy = services.plan_new_version(actor=kansli, plan=decided_plan)
    page = _get(client, decided_plan)
    assert "Version 2" not in page and copy.get_absolute_url() not in page
    client.force_login(kansli)
    assert "Version 2 (utkast)" in _get(client, decided_plan)


def test_a_signed_in_reader_gets_a_decided_plan_without_a_query(client, plain_user, decided_plan):
    client.force_login(plain_user)
    _get(client, decided_plan)
    with CaptureQueriesContext(connection) as queries:
        assert "Stärka produktionssamarbetet" in _get(client, decided_plan)
    assert len(queries) == 0


def test_readers_sharing_a_cached_page_each_see_their_own_name_and_token(client, decided_plan):
    first, second = (
        UserFactory(first_name="Ada", last_name="Ek"),
        UserFactory(first_name="Bo", last_name="Ås"),
    )
    client.force_login(first)
    page = _get(client, decided_plan)
    assert "Inloggad som Ada Ek" in page
    client.force_login(second)
    shared = client.get(decided_plan.get_absolute_url())
    page = shared.content.decode()
    assert "Inloggad som Bo Ås" in page and "Ada Ek" not in page
    assert "shared-" not in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert shared.cookies["csrftoken"].value
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    assert strict.post(reverse("logout"), {"csrfmiddlewaretoken": token}).status_code == 302


def test_a_reader_given_the_kansli_role_sees_its_buttons_at_once(
    client, plain_user, decided_plan, mellansverige
):
    client.force_login(plain_user)
    assert "Ny version" not in _get(client, decided_plan)
    role_grant(user=plain_user, role=RoleGroup.Role.KANSLI, scope=mellansverige)
    assert "Ny version" in _get(client, decided_plan)
    role_revoke(user=plain_user, role=RoleGroup.Role.KANSLI, scope=mellansverige)
    assert "Ny version" not in _get(client, decided_plan)


def test_a_plan_the_reader_may_not_see_answers_404_with_their_own_name(client, draft_plan):
    client.force_login(UserFactory(first_name="Ada", last_name="Ek"))
    response = client.get(draft_plan.get_absolute_url())
    assert response.status_code == 404
    page = response.content.decode()
    assert "Inloggad som Ada Ek" in page and "shared-" not in page
