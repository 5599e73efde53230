"""/health/: is the database up, is Redis up, does a Celery worker answer?"""

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


def _worker() -> str:
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
    # Without the broker there is nobody to ask; say so instead of waiting for a timeout.
    checks["worker"] = _check(_worker) if checks["redis"] == "ok" else "okänt: redis nere"
    down = sorted(name for name, state in checks.items() if state != "ok")
    body = {"status": "ok" if not down else "fel", "checks": checks, "down": down}
    if checks["redis"] == "ok":
        last_beat = _check(lambda: cache.get(BEAT_HEARTBEAT_KEY))
        body["beat_seconds_since_heartbeat"] = (
            round(time.time() - last_beat, 1) if isinstance(last_beat, float) else None
        )
    body["queue"] = settings.CELERY_TASK_DEFAULT_QUEUE
    return JsonResponse(body, status=200 if not down else 503)
