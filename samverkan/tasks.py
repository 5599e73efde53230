"""Background jobs of the project itself."""

import time

from celery import shared_task
from django.core.cache import cache

BEAT_HEARTBEAT_KEY = "beat:last-heartbeat"


@shared_task
def beat_heartbeat() -> float:
    """Record that celery beat is alive; /health/ shows how long ago it last ticked."""
    now = time.time()
    cache.set(BEAT_HEARTBEAT_KEY, now, timeout=None)
    return now
