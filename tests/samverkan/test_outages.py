"""While Redis is away the portal answers from PostgreSQL, and writes still succeed.

Each test runs against a Redis server of its own (tests/fixtures_redis.py), stopped in
the middle of the test: the shared Redis that every other test uses stays up.
"""

import logging

import pytest
from celery import Celery
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from core.queueing import enqueue_on_commit
from documents.models import DocumentState, GeneratedDocument
from plans.models import ActivityPlan
from tests.conftest import PASSWORD
from tests.plans.conftest import draft_plan, operational_plan  # noqa: F401 (fixtures)


@pytest.fixture
def cache_on_own_redis(settings, own_redis):
    # Changing CACHES makes Django open new cache connections (its setting_changed signal).
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": own_redis.url}}
    return own_redis


@pytest.mark.django_db
def test_pages_are_served_from_the_database_while_the_cache_is_down(
    client,
    cache_on_own_redis,
    kansli,
    operational_plan,
    draft_plan,
):
    public_page = operational_plan.get_absolute_url()
    assert client.get(public_page).status_code == 200  # rendered, and cached
    client.force_login(kansli)
    assert client.get(draft_plan.get_absolute_url()).status_code == 200

    cache_on_own_redis.stop()

    assert cache.get("anything", "saknas") == "saknas"
    assert client.get(public_page).status_code == 200
    assert client.get(draft_plan.get_absolute_url()).status_code == 200  # still signed in
    client.logout()
    assert client.get(public_page).status_code == 200


@pytest.mark.django_db
def test_an_edit_is_saved_while_the_cache_is_down(
    client,
    cache_on_own_redis,
    kansli,
    draft_plan,
):
    client.force_login(kansli)
    url = reverse("plans:activity_plan_update", kwargs={"hr": "mellansverige", "pk": draft_plan.pk})
    form = client.get(url).context["form"]
    cache_on_own_redis.stop()

    response = client.post(
        url,
        {
            "year": draft_plan.year,
            "title": "Aktivitetsplan, sparad utan cache",
            "introduction": "",
            "loaded_version": form.initial["loaded_version"],
        },
    )

    assert response.status_code == 302
    assert ActivityPlan.objects.get(pk=draft_plan.pk).title == "Aktivitetsplan, sparad utan cache"


@pytest.mark.django_db
def test_a_pdf_requested_while_the_cache_is_down_is_queued(
    client,
    cache_on_own_redis,
    kansli,
    draft_plan,
):
    client.force_login(kansli)
    cache_on_own_redis.stop()
    url = reverse("plans:activity_plan_pdf", kwargs={"hr": "mellansverige", "pk": draft_plan.pk})

    assert client.post(url).status_code == 302
    assert GeneratedDocument.objects.get(subject_id=draft_plan.pk).state == DocumentState.QUEUED


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_broker_is_down_does_not_fail_the_write_that_queued_it(own_redis, caplog):
    app = Celery("outage", broker=own_redis.url, set_as_current=False)
    app.conf.broker_connection_retry = False
    app.conf.task_publish_retry = False

    @app.task(name="outage.noop")
    def noop():
        return None

    own_redis.stop()
    with caplog.at_level(logging.WARNING, logger="core.queueing"), transaction.atomic():
        enqueue_on_commit(noop)
    assert "outage.noop not sent now" in caplog.text


@pytest.mark.django_db
def test_a_user_logs_in_while_the_cache_is_down(client, cache_on_own_redis, kansli):
    cache_on_own_redis.stop()
    response = client.post(reverse("login"), {"username": "kansli", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("start")).context["user"] == kansli
