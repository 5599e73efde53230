"""Decided plans come from the cache (plans.cache), and never show what has since changed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans import services
from plans.models import PlanState
from tests.factories import BodyFactory, DecisionFactory
from tests.plans.factories import ActivityFactory, ActivityPlanFactory, FocusAreaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided_plan(operational_plan, published_meeting):
    plan = ActivityPlanFactory(operational_plan=operational_plan, state=PlanState.DECIDED,
                               decision=DecisionFactory(meeting=published_meeting, paragraph=42))
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
        client, board_member, decided_plan):
    client.force_login(board_member)
    _get(client, decided_plan)
    with CaptureQueriesContext(connection) as queries:
        assert "Stärka produktionssamarbetet" in _get(client, decided_plan)
    assert not [q for q in queries if 'FROM "plans_activity"' in q["sql"]
                or 'FROM "plans_focusarea"' in q["sql"]]


def test_a_renamed_responsible_body_shows_on_the_cached_plan(
        client, board_member, decided_plan, django_capture_on_commit_callbacks):
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
        client, kansli, decided_plan, draft_meeting, django_capture_on_commit_callbacks):
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
