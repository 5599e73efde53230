"""`manage.py healthprobe` is what the containers' health checks run."""

import time

import pytest
from django.core.cache import cache
from django.core.management import call_command

from samverkan.tasks import BEAT_HEARTBEAT_KEY


def _probe(*args) -> int:
    try:
        call_command("healthprobe", *args)
    except SystemExit as exit:
        return exit.code
    return 0


def test_beat_is_healthy_when_its_heartbeat_is_recent():
    cache.set(BEAT_HEARTBEAT_KEY, time.time() - 30, timeout=None)

    assert _probe("beat") == 0


def test_beat_is_unhealthy_when_its_heartbeat_is_stale(capsys):
    cache.set(BEAT_HEARTBEAT_KEY, time.time() - 3600, timeout=None)

    assert _probe("beat") == 1
    assert "celery beat" in capsys.readouterr().err


def test_beat_is_unhealthy_before_its_first_heartbeat():
    cache.delete(BEAT_HEARTBEAT_KEY)

    assert _probe("beat") == 1


@pytest.mark.django_db(transaction=True)
def test_web_is_healthy_when_it_answers_and_reaches_the_database_and_redis(live_server):
    # No worker runs here: that is the worker's own health check's business.
    assert _probe("web", "--url", f"{live_server.url}/health/") == 0


def test_web_is_unhealthy_when_nothing_answers(capsys):
    assert _probe("web", "--url", "http://127.0.0.1:1/health/") == 1
    assert "svarar inte" in capsys.readouterr().err
