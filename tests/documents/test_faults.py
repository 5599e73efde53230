"""No document job is lost when a worker, Redis or the database connection fails.

Real workers of the test's own (tests.fixtures_celery.own_workers), the real broker and
the real test database; the faults are real too: a worker process killed with SIGKILL,
the broker's queue emptied under a waiting job, a database backend terminated.
"""

import os
import signal
import time

import pytest
import redis
from django.conf import settings
from django.core.cache import cache

from documents import jobs as document_jobs
from documents.models import DocumentState
from tests.documents import renderers
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

# Issue 13's target: a job whose worker died is done again within 2 minutes.
REDO_TARGET_SECONDS = 120


def wait_until(condition, timeout, message, logs=lambda: ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"{message}\n--- arbetarnas loggar ---\n{logs()}")


def wait_done(document, timeout, logs):
    def done():
        document.refresh_from_db()
        return not document.is_pending

    wait_until(
        done,
        timeout,
        f"Dokument {document.pk} blev kvar i {document.state}: {document.reason}",
        logs,
    )
    return document


@pytest.fixture
def subject(db):
    return UserFactory(username="bertil", first_name="Bertil")


def test_a_job_whose_worker_process_is_killed_mid_render_is_done_again_within_two_minutes(
    own_workers, subject
):
    # Prefork, as in production: the killed process is replaced and the message given back.
    own_workers.start(pool=("-P", "prefork", "-c", "1"))
    document = document_jobs.document_request(
        actor=subject, subject=subject, kind="test.slow", snapshot=True
    )
    pid = wait_until(
        lambda: cache.get(renderers.worker_pid_key(subject)), 30, "Ingen rendering startade"
    )
    os.kill(pid, signal.SIGKILL)
    killed_at = time.monotonic()

    wait_done(document, REDO_TARGET_SECONDS, own_workers.logs)
    redone_in = time.monotonic() - killed_at

    assert document.state == DocumentState.DONE, document.reason
    assert document.attempts == 2
    assert document.is_snapshot
    assert redone_in < REDO_TARGET_SECONDS
    print(f"killed worker's job redone in {redone_in:.1f} s")


def test_a_job_whose_whole_worker_died_is_queued_again_by_beat_once_its_heartbeat_is_silent(
    own_workers, subject
):
    fast_timers = {"DOCUMENT_HEARTBEAT_SECONDS": "1", "DOCUMENT_STALE_SECONDS": "4"}
    first = own_workers.start(env=fast_timers)
    document = document_jobs.document_request(actor=subject, subject=subject, kind="test.slow")
    wait_until(lambda: cache.get(renderers.worker_pid_key(subject)), 30, "Ingen rendering startade")
    first.stop()  # the whole worker, as when its host dies: the message stays unacknowledged
    # Another worker, with beat; nothing is redelivered to it, beat must find the job.
    own_workers.start(env={**fast_timers, "DOCUMENT_REQUEUE_SECONDS": "1"}, beat=True)

    wait_done(document, REDO_TARGET_SECONDS, own_workers.logs)

    assert document.state == DocumentState.DONE, document.reason
    assert document.attempts == 2


def test_a_job_whose_message_is_lost_with_the_broker_is_queued_again_by_beat(own_workers, subject):
    own_workers.start(
        pool=("-P", "prefork", "-c", "1"),
        beat=True,
        env={"DOCUMENT_QUEUED_LOST_SECONDS": "3", "DOCUMENT_REQUEUE_SECONDS": "1"},
    )
    busy = document_jobs.document_request(actor=subject, subject=subject, kind="test.slow")
    wait_until(lambda: cache.get(renderers.worker_pid_key(subject)), 30, "Ingen rendering startade")
    other = UserFactory(username="cecilia")
    waiting = document_jobs.document_request(actor=other, subject=other, kind="test.plain")
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    try:
        # What a Redis restarted without persistence does to the queue: the message is gone.
        assert broker.delete(own_workers.queue) == 1
    finally:
        broker.close()
    waiting.refresh_from_db()
    assert waiting.state == DocumentState.QUEUED
    cache.set(renderers.release_key(subject), 1, timeout=60)

    wait_done(waiting, 60, own_workers.logs)
    wait_done(busy, 60, own_workers.logs)

    assert waiting.state == DocumentState.DONE, waiting.reason
    assert waiting.attempts == 1  # rendered once, though two messages were sent for it
    assert busy.state == DocumentState.DONE


def test_a_job_whose_database_connection_is_terminated_mid_render_is_retried_and_done(
    own_workers, subject
):
    own_workers.start()
    document = document_jobs.document_request(
        actor=subject, subject=subject, kind="test.database_dropped", snapshot=True
    )

    wait_done(document, 60, own_workers.logs)

    assert document.state == DocumentState.DONE, document.reason
    assert document.attempts == 2
    assert document.is_snapshot
    assert "OperationalError" not in document.reason


def test_a_job_that_kills_every_worker_is_given_up_after_the_set_attempts_with_a_swedish_reason(
    own_workers, subject
):
    own_workers.start(pool=("-P", "prefork", "-c", "1"), env={"DOCUMENT_MAX_ATTEMPTS": "3"})
    document = document_jobs.document_request(actor=subject, subject=subject, kind="test.killer")

    wait_done(document, 90, own_workers.logs)

    assert document.state == DocumentState.FAILED
    assert document.attempts == 3
    assert document.reason == (
        "Dokumentet kunde inte skapas efter 3 försök. Arbetet avbröts innan det blev klart."
    )


def test_the_worker_replaces_its_process_after_the_set_number_of_tasks(own_workers, subject):
    # The project's settings (CELERY_WORKER_MAX_TASKS_PER_CHILD), not a command-line flag.
    worker = own_workers.start(
        pool=("-P", "prefork", "-c", "1"), env={"CELERY_WORKER_MAX_TASKS_PER_CHILD": "2"}
    )
    from samverkan.celery import app

    stats = app.control.inspect([worker.nodename], timeout=5).stats()
    assert stats[worker.nodename]["pool"]["max-tasks-per-child"] == 2
    documents = []
    for _ in range(4):
        document = document_jobs.document_request(actor=subject, subject=subject, kind="test.pid")
        documents.append(wait_done(document, 60, own_workers.logs))

    pids = [document.filename for document in documents]
    assert pids[0] == pids[1] != pids[2] == pids[3]


def test_the_production_worker_is_recycled_after_fifty_tasks(own_workers):
    worker = own_workers.start(pool=("-P", "prefork", "-c", "1"))
    from samverkan.celery import app

    pool = app.control.inspect([worker.nodename], timeout=5).stats()[worker.nodename]["pool"]
    assert pool["max-tasks-per-child"] == 50
