"""The shared document pipeline: a real worker renders, stores with a checksum, reports its state."""

import datetime
import hashlib
import time

import pytest
import redis
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from documents import jobs as document_jobs
from documents import outcomes as document_outcomes
from documents import selectors as document_selectors
from documents.models import DocumentState, GeneratedDocument
from documents.registry import document_changed
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def wait_for(document, timeout=20.0, until=lambda d: not d.is_pending):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        document.refresh_from_db()
        if until(document):
            return document
        time.sleep(0.05)
    pytest.fail(f"Dokument {document.pk} blev kvar i {document.state}: {document.reason}")


@pytest.fixture
def broker():
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    yield client
    client.close()


@pytest.fixture
def subject(db):
    return UserFactory(username="anna", first_name="Anna")


def test_the_worker_renders_a_tagged_pdf_and_stores_it_with_its_checksum(celery_worker, subject):
    document = wait_for(
        document_jobs.document_request(actor=subject, subject=subject, kind="test.plain")
    )

    assert document.state == DocumentState.DONE, document.reason
    assert document.attempts == 1
    content = default_storage.open(document.file.name).read()
    assert content.startswith(b"%PDF")
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.size == len(content)
    assert document.filename == f"prov-{subject.pk}.pdf"
    assert document.started_at <= document.finished_at


def test_nothing_is_queued_before_the_commit(celery_worker_process, broker, subject):
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    with celery_worker_process.paused():
        broker.delete(queue)
        with transaction.atomic():
            document = document_jobs.document_request(
                actor=subject, subject=subject, kind="test.plain"
            )
            assert broker.llen(queue) == 0
        assert broker.llen(queue) == 1
    wait_for(document)
    assert document.state == DocumentState.DONE


def test_a_broken_template_fails_the_job_with_a_readable_reason(celery_worker, subject):
    document = wait_for(
        document_jobs.document_request(actor=subject, subject=subject, kind="test.broken")
    )

    assert document.state == DocumentState.FAILED
    assert document.reason.startswith("Mallen för dokumentet innehåller ett fel")
    assert not document.file


def test_the_same_bytes_are_stored_once_and_reused(celery_worker, subject):
    first = wait_for(
        document_jobs.document_request(actor=subject, subject=subject, kind="test.plain")
    )
    second = wait_for(
        document_jobs.document_request(actor=subject, subject=subject, kind="test.plain")
    )

    assert second.state == DocumentState.DONE
    assert second.sha256 == first.sha256
    assert second.file.name == first.file.name
    assert [d.pk for d in document_selectors.stored_versions(subject, "test.plain")] == [first.pk]


def test_a_transient_error_is_retried_with_backoff(celery_worker, subject):
    document = wait_for(
        document_jobs.document_request(actor=subject, subject=subject, kind="test.flaky"),
        timeout=30,
    )

    assert document.state == DocumentState.DONE, document.reason
    assert document.attempts == 2


def test_a_job_left_running_by_a_dead_worker_is_queued_again(celery_worker, subject):
    with celery_worker.paused():
        document = document_jobs.document_request(actor=subject, subject=subject, kind="test.plain")
        # What a worker killed mid-render leaves behind: pågår, started long ago.
        GeneratedDocument.objects.filter(pk=document.pk).update(
            state=DocumentState.RUNNING,
            attempts=1,
            started_at=timezone.now()
            - document_selectors.stale_after()
            - datetime.timedelta(minutes=1),
        )
        assert document_jobs.documents_requeue_stale() == [document.pk]
    wait_for(document)

    assert document.state == DocumentState.DONE
    assert document.attempts == 2


def test_a_running_job_that_is_not_stale_is_left_alone(subject):
    document = GeneratedDocument.objects.create(
        subject=subject, kind="test.plain", state=DocumentState.RUNNING, started_at=timezone.now()
    )

    assert document_jobs.documents_requeue_stale() == []
    assert document_jobs.document_render(document_id=document.pk) is None


def test_the_status_partial_polls_while_queued_and_offers_retry_when_failed(client, subject):
    document = GeneratedDocument.objects.create(subject=subject, kind="test.plain")
    client.force_login(subject)

    html = client.get(reverse("documents:status", kwargs={"pk": document.pk})).content.decode()
    assert 'hx-trigger="every 2s"' in html
    assert "Köad" in html

    GeneratedDocument.objects.filter(pk=document.pk).update(
        state=DocumentState.FAILED, reason="Mallen för dokumentet saknas."
    )
    html = client.get(reverse("documents:status", kwargs={"pk": document.pk})).content.decode()
    assert "every 2s" not in html
    assert "Misslyckad" in html and "Mallen för dokumentet saknas." in html
    assert "Försök igen" in html


def test_retry_queues_a_failed_job_again(client, subject, celery_worker):
    document = GeneratedDocument.objects.create(
        subject=subject, kind="test.plain", state=DocumentState.FAILED, reason="Fel"
    )
    client.force_login(subject)

    response = client.post(reverse("documents:retry", kwargs={"pk": document.pk}))

    assert response.status_code == 302
    assert wait_for(document).state == DocumentState.DONE


def test_others_may_not_retry_and_anonymous_visitors_see_nothing(client, subject):
    document = GeneratedDocument.objects.create(
        subject=subject, kind="test.plain", state=DocumentState.FAILED, reason="Fel"
    )
    assert client.get(reverse("documents:status", kwargs={"pk": document.pk})).status_code == 404
    client.force_login(UserFactory())
    assert client.post(reverse("documents:retry", kwargs={"pk": document.pk})).status_code == 403


def test_the_download_serves_the_stored_bytes(client, subject, celery_worker):
    document = wait_for(
        document_jobs.document_request(actor=subject, subject=subject, kind="test.plain")
    )
    client.force_login(subject)

    response = client.get(reverse("documents:download", kwargs={"pk": document.pk}))

    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == document.sha256
    assert response["Content-Disposition"].startswith("attachment")


def _closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_stored_job_stays_done_when_a_receiver_of_its_change_fails(subject):
    # What plans.pdf's cache bump does while Redis is down: a real connection refused.
    def cache_unreachable(sender, document, **kwargs):
        redis.Redis(port=_closed_port(), socket_connect_timeout=0.5).incr("sidor")

    document_changed.connect(cache_unreachable, dispatch_uid="test-cache-unreachable")
    try:
        document = document_jobs.document_render_now(
            actor=subject, subject=subject, kind="test.plain"
        )
    finally:
        document_changed.disconnect(dispatch_uid="test-cache-unreachable")

    assert document.state == DocumentState.DONE, document.reason
    assert document.reason == ""
    assert default_storage.exists(document.file.name)


def test_a_finished_job_is_never_marked_failed_afterwards(subject):
    document = document_jobs.document_render_now(actor=subject, subject=subject, kind="test.plain")

    assert not document_outcomes.finish(
        document, state=DocumentState.FAILED, reason="Dokumentet kunde inte skapas."
    )
    document_outcomes.document_give_up(document_id=document.pk, error=OSError("disk full"))

    document.refresh_from_db()
    assert document.state == DocumentState.DONE
    assert document.reason == ""


def test_a_reason_is_swedish_counts_the_real_attempts_and_leaves_the_drivers_text_to_the_log(
    subject, caplog
):
    document = GeneratedDocument.objects.create(
        subject=subject, kind="test.plain", state=DocumentState.RUNNING, attempts=1
    )
    error = OSError("[Errno 28] No space left on device")

    document_outcomes.document_give_up(document_id=document.pk, error=error)

    document.refresh_from_db()
    assert document.state == DocumentState.FAILED
    assert document.reason == "Dokumentet kunde inte skapas. Filen kunde inte lagras eller läsas."
    assert "No space left" in caplog.text
    unexpected = RuntimeError("connection to server was lost")
    assert document_outcomes.failure_reason(unexpected) == (
        "Dokumentet kunde inte skapas på grund av ett oväntat fel."
    )


def test_a_running_job_with_a_recent_heartbeat_is_not_stale_however_long_it_has_run(subject):
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    document = GeneratedDocument.objects.create(
        subject=subject,
        kind="test.plain",
        state=DocumentState.RUNNING,
        started_at=long_ago,
        heartbeat_at=timezone.now(),
    )

    assert document_jobs.documents_requeue_stale() == []
    GeneratedDocument.objects.filter(pk=document.pk).update(heartbeat_at=long_ago)
    assert document_jobs.documents_requeue_stale() == [document.pk]


def test_a_queued_job_never_claimed_is_sent_again_by_beat_and_rendered_once(celery_worker, subject):
    with celery_worker.paused():
        document = document_jobs.document_request(actor=subject, subject=subject, kind="test.plain")
        later = (
            timezone.now() + document_selectors.queued_lost_after() + datetime.timedelta(seconds=1)
        )
        assert document_jobs.documents_requeue_stale(now=later) == [document.pk]
    wait_for(document)

    assert document.state == DocumentState.DONE
    assert document.attempts == 1  # two messages, one render
