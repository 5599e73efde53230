"""/health/ says whether the database, Redis and a Celery worker answer."""

import pytest
import redis
from django.conf import settings


def _broker_database_nobody_uses() -> int:
    """A Redis database number on the broker's server with no client and no keys.

    control.ping is broadcast to every worker on the broker database, so "no worker"
    can only be tested on a database no worker listens to.
    """
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    try:
        in_use = {int(c["db"]) for c in client.client_list() if "db" in c}
        databases = int(client.config_get("databases").get("databases", 16))
        for number in reversed(range(databases)):
            if number in in_use:
                continue
            candidate = redis.Redis.from_url(_broker_url_on(number))
            try:
                if not candidate.dbsize():
                    return number
            finally:
                candidate.close()
    finally:
        client.close()
    pytest.skip("Ingen ledig Redis-databas att testa utan arbetare på.")


def _broker_url_on(database: int) -> str:
    base, _, _ = settings.CELERY_BROKER_URL.rpartition("/")
    return f"{base}/{database}"


@pytest.mark.django_db(transaction=True)
def test_health_is_ok_when_the_database_redis_and_a_worker_answer(client, celery_worker):
    response = client.get("/health/")

    assert response.status_code == 200
    body = response.json()
    assert body["checks"] == {"database": "ok", "redis": "ok", "worker": "ok"}
    assert body["down"] == []
    assert body["queue"] == settings.CELERY_TASK_DEFAULT_QUEUE


@pytest.mark.django_db
def test_health_reports_the_worker_down_when_no_worker_listens(client, settings):
    settings.CELERY_BROKER_URL = _broker_url_on(_broker_database_nobody_uses())

    try:
        response = client.get("/health/")
    finally:
        # The ping leaves kombu's bindings behind in a database that was empty: without
        # this, each run used up one more of the server's databases until none was free.
        broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
        try:
            for key in broker.scan_iter("_kombu.*"):
                broker.delete(key)
        finally:
            broker.close()

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
