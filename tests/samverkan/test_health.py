"""/health/ says whether the database, Redis and a Celery worker answer."""

import pytest
import redis
from django.conf import settings


@pytest.mark.django_db(transaction=True)
def test_health_is_ok_when_the_database_redis_and_a_worker_answer(client, celery_worker):
    response = client.get("/health/")

    assert response.status_code == 200
    body = response.json()
    assert body["checks"] == {"database": "ok", "redis": "ok", "worker": "ok"}
    assert body["down"] == []
    assert body["queue"] == settings.CELERY_TASK_DEFAULT_QUEUE


@pytest.mark.django_db
def test_health_reports_the_worker_down_when_no_worker_listens(client, settings, own_redis):
    # control.ping is broadcast to every worker on the broker: "no worker" is a broker
    # of the test's own, which no worker listens to.
    settings.CELERY_BROKER_URL = own_redis.url

    response = client.get("/health/")

    assert response.status_code == 503
    body = response.json()
    assert body["down"] == ["worker"]
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["redis"] == "ok"


@pytest.mark.django_db
def test_health_reports_redis_down_when_the_cache_and_broker_do_not_answer(client, settings):
    closed = "redis://127.0.0.1:1/0"
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": closed}}
    settings.CELERY_BROKER_URL = closed

    response = client.get("/health/")

    assert response.status_code == 503
    assert "redis" in response.json()["down"]


@pytest.mark.django_db
def test_health_reports_redis_down_when_only_the_broker_does_not_answer(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"

    response = client.get("/health/")

    assert response.status_code == 503
    assert "redis" in response.json()["down"]


@pytest.mark.django_db
def test_health_is_served_over_plain_http_even_when_https_is_enforced(client, settings):
    # Container and load-balancer probes reach the web server without TLS.
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/health/").status_code in (200, 503)
    assert client.get("/").status_code == 301


@pytest.mark.django_db
def test_health_asks_the_workers_at_most_once_in_its_check_interval(client, settings, own_redis):
    # A load balancer polls every few seconds; each poll must not hold a web worker for
    # the ping's timeout. Counted where the ping goes: the broker's PUBLISH commands.
    settings.CELERY_BROKER_URL = own_redis.url

    first = client.get("/health/").json()
    second = client.get("/health/").json()

    broker = redis.Redis.from_url(own_redis.url)
    try:
        published = broker.info("commandstats")["cmdstat_publish"]["calls"]
    finally:
        broker.close()
    assert published == 1
    assert first["checks"]["worker"] == second["checks"]["worker"] == "inget svar"
    assert second["worker_seconds_since_check"] >= first["worker_seconds_since_check"]
