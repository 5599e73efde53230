"""/health/: is the database up, is Redis up, does a Celery worker answer?

Asking the workers takes up to WORKER_PING_TIMEOUT; a load balancer polls every few
seconds, so the answer is kept in the cache for WORKER_CHECK_SECONDS and a poll in
between costs a cache read (the body says how old the answer is).
"""

import time

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from samverkan.celery import app as celery_app
from samverkan.tasks import BEAT_HEARTBEAT_KEY

WORKER_PING_TIMEOUT = 1.0
WORKER_CHECK_SECONDS = 10


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _redis() -> str:
    cache._cache.get_client().ping()
    # The broker may be another Redis than the cache; without it the worker probe
    # below would spend seconds in kombu's connection retries before failing.
    broker = redis.Redis.from_url(
        settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1
    )
    try:
        broker.ping()
    finally:
        broker.close()
    return "ok"


def _worker() -> tuple[str, float]:
    """The workers' answer and when it was asked for (time.time()), asked at most once
    per WORKER_CHECK_SECONDS for the broker and queue the settings name."""
    key = f"health:worker:{settings.CELERY_BROKER_URL}:{settings.CELERY_TASK_DEFAULT_QUEUE}"
    kept = cache.get(key)
    if kept is not None:
        return kept
    answer = (_ping_workers(), time.time())
    cache.set(key, answer, WORKER_CHECK_SECONDS)
    return answer


def _ping_workers() -> str:
    # Ask and listen on one connection to the broker the settings name now: the app's
    # producer pool stays bound to the broker Celery first read, so a ping published
    # through it could be answered on another broker than the one listened to.
    with celery_app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
        mailbox = celery_app.control.mailbox(conn)
        mailbox.producer_pool = None
        replies = mailbox.multi_call("ping", timeout=WORKER_PING_TIMEOUT)
    return "ok" if replies else "inget svar"


def _check(probe) -> str:
    try:
        return probe()
    except Exception as exc:  # the point is to report any failure, not to raise it
        return f"fel: {exc.__class__.__name__}"


@never_cache
def health(request):
    checks = {"database": _check(_database), "redis": _check(_redis)}
    asked_at = None
    # Without the broker there is nobody to ask; say so instead of waiting for a timeout.
    if checks["redis"] == "ok":
        try:
            checks["worker"], asked_at = _worker()
        except Exception as exc:  # as _check: report the failure
            checks["worker"] = f"fel: {exc.__class__.__name__}"
    else:
        checks["worker"] = "okänt: redis nere"
    down = sorted(name for name, state in checks.items() if state != "ok")
    body = {"status": "ok" if not down else "fel", "checks": checks, "down": down}
    body["worker_seconds_since_check"] = (
        round(time.time() - asked_at, 1) if asked_at is not None else None
    )
    if checks["redis"] == "ok":
        last_beat = _check(lambda: cache.get(BEAT_HEARTBEAT_KEY))
        body["beat_seconds_since_heartbeat"] = (
            round(time.time() - last_beat, 1) if isinstance(last_beat, float) else None
        )
    body["queue"] = settings.CELERY_TASK_DEFAULT_QUEUE
    return JsonResponse(body, status=200 if not down else 503)
