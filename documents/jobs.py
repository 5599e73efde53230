"""Document jobs: request a document, render it in a worker, store it.

A request creates a GeneratedDocument row in state köad and queues the job after the
commit. The worker claims the row (köad → pågår), renders outside any transaction,
and stores the bytes under their sha256 in default_storage: the same bytes are stored
once, and a job whose bytes equal an earlier finished document of the same subject and
kind points at that file (documents.outcomes). A render that fails for good leaves the
job misslyckad with a reason in Swedish; a transient failure (OSError: storage, a font
file; a database connection dropped) puts it back in the queue for a retry. Once a job
is klar or misslyckad nothing changes it again.

No job is lost when a worker, Redis or the database fails:

- While it renders, the worker refreshes the job's heartbeat (outcomes.heartbeat). A
  job pågår without a heartbeat for DOCUMENT_STALE_SECONDS has lost its worker.
- A worker process killed mid-render gives its message back (acks_late,
  reject_on_worker_lost); the redelivered message takes the job at once when the
  process that claimed it is gone (same host, its pid no longer runs), else once the
  job is stale.
- Beat (documents_requeue_stale, every DOCUMENT_REQUEUE_SECONDS) queues again every job
  pågår without a heartbeat and every job köad longer than DOCUMENT_QUEUED_LOST_SECONDS
  without being claimed: its message was lost (Redis restarted without persistence).
  A message for a job another worker holds changes nothing (the claim's row lock).
- A job claimed DOCUMENT_MAX_ATTEMPTS times without finishing (it kills every worker
  that takes it) is given up with a reason that says so.

Each task stands beside the function it runs.
"""

import datetime
import logging
import os
import socket

from celery import shared_task
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from core.queueing import enqueue_on_commit
from documents import parts
from documents.models import DocumentState, GeneratedDocument
from documents.outcomes import (
    RETRY_POLICY,
    TRANSIENT_ERRORS,
    announce,
    attempts_reason,
    back_in_queue,
    failure_reason,
    finish,
    heartbeat,
    store,
    worker_id,
)
from documents.registry import renderer_for
from documents.selectors import is_stale, queued_lost_after, stale_after

logger = logging.getLogger(__name__)


def document_request(*, actor, subject, kind: str, snapshot: bool = False) -> GeneratedDocument:
    """Queue a render of `subject` as a document of `kind`; returns the job (köad)."""
    renderer_for(kind)
    with transaction.atomic():
        document = GeneratedDocument.objects.create(
            subject_type=ContentType.objects.get_for_model(subject),
            subject_id=subject.pk,
            kind=kind,
            is_snapshot=snapshot,
            requested_by=actor if actor is not None and actor.is_authenticated else None,
        )
        # After commit: a worker that took the job first would not find the row.
        enqueue_on_commit(document_render_task, document_id=document.pk)
    return document


def document_render_now(*, actor, subject, kind: str, snapshot: bool = False) -> GeneratedDocument:
    """Render in this process, without the queue (demo data, management commands)."""
    renderer_for(kind)
    document = GeneratedDocument.objects.create(
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        kind=kind,
        is_snapshot=snapshot,
        requested_by=actor if actor is not None and actor.is_authenticated else None,
    )
    document_render(document_id=document.pk, inline=True)
    document.refresh_from_db()
    return document


def _claimer_gone(document: GeneratedDocument) -> bool:
    """Is the process that claimed this job known to be no longer rendering it? Known
    only on the same host: its pid runs no more, or it is this process, which is
    claiming and so not rendering. A job in parts is rendered by other tasks once its
    claim has handed them out, so only its staleness counts."""
    if document.parts:
        return False
    host, _sep, pid = document.worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _claim(document_id: int) -> GeneratedDocument | None:
    given_up = None
    with transaction.atomic():
        document = (
            GeneratedDocument.objects.select_for_update(skip_locked=True)
            .filter(pk=document_id)
            .first()
        )
        if document is None:
            return None  # gone, or another worker holds it right now
        if document.state not in (DocumentState.QUEUED, DocumentState.RUNNING):
            return None  # done or failed already: a redelivered message changes nothing
        if (
            document.state == DocumentState.RUNNING
            and not is_stale(document)
            and not _claimer_gone(document)
        ):
            return None  # its worker is alive and rendering it
        now = timezone.now()
        if document.attempts >= settings.DOCUMENT_MAX_ATTEMPTS:
            document.state = DocumentState.FAILED
            document.finished_at = now
            document.reason = attempts_reason(document.attempts)
            document.save(update_fields=["state", "finished_at", "reason"])
            given_up = document
        else:
            document.state = DocumentState.RUNNING
            document.attempts += 1
            document.started_at = document.heartbeat_at = now
            document.worker = worker_id()
            document.reason = ""
            document.save(
                update_fields=[
                    "state",
                    "attempts",
                    "started_at",
                    "heartbeat_at",
                    "worker",
                    "reason",
                ]
            )
    if given_up is not None:
        logger.error("Document %s given up after %s attempts", given_up.pk, given_up.attempts)
        announce(given_up)
        return None
    return document


def document_render(*, document_id: int, inline: bool = False) -> GeneratedDocument | None:
    """Render and store one queued document (the worker's side). Transient errors
    (OSError) are re-raised with the job back in the queue, for the task to retry."""
    document = _claim(document_id)
    if document is None:
        return None
    renderer = renderer_for(document.kind)
    try:
        with heartbeat(document.pk):
            if renderer.parted is not None:
                # Finished by the part tasks, or here and now when rendering inline.
                parts.start(document, renderer.parted, inline=inline)
            else:
                filename, content = renderer.render(document.subject)
                store(document, filename, content)
    except TRANSIENT_ERRORS as error:
        back_in_queue(document, error)
        raise
    except Exception as error:
        logger.exception("Document %s failed", document.pk)
        finish(document, state=DocumentState.FAILED, reason=failure_reason(error))
    return document


@shared_task(**RETRY_POLICY)
def document_render_task(*, document_id: int) -> None:
    """Render and store one document (document_render)."""
    document_render(document_id=document_id)


def document_retry(*, actor, document: GeneratedDocument) -> GeneratedDocument:
    """Queue a failed or stalled job again ("Försök igen")."""
    with transaction.atomic():
        current = GeneratedDocument.objects.select_for_update().get(pk=document.pk)
        if not (current.state in (DocumentState.FAILED, DocumentState.QUEUED) or is_stale(current)):
            raise ValidationError(_("Dokumentet är redan klart eller skapas just nu."))
        current.state = DocumentState.QUEUED
        current.reason = ""
        current.finished_at = None
        current.heartbeat_at = timezone.now()
        # The kansli's retry gives the job its attempts again (DOCUMENT_MAX_ATTEMPTS).
        current.attempts = 0
        current.save(update_fields=["state", "reason", "finished_at", "heartbeat_at", "attempts"])
        enqueue_on_commit(document_render_task, document_id=current.pk)
    return current


def documents_requeue_stale(*, now: datetime.datetime | None = None) -> list[int]:
    """Queue again every job left "pågår" by a worker that died (no heartbeat for
    stale_after()) and every job "köad" so long unclaimed that its message must have
    been lost; returns their ids. A message that was not lost after all finds the job
    taken or done, and changes nothing."""
    now = now or timezone.now()
    alive = Coalesce("heartbeat_at", "started_at", "created_at")
    with transaction.atomic():
        waiting = list(
            GeneratedDocument.objects.select_for_update(skip_locked=True)
            .alias(alive=alive)
            .filter(
                Q(state=DocumentState.RUNNING, alive__lt=now - stale_after())
                | Q(state=DocumentState.QUEUED, alive__lt=now - queued_lost_after())
            )
        )
        for document in waiting:
            if document.state == DocumentState.RUNNING:
                document.reason = _("Arbetet avbröts och har köats igen.")
            document.state = DocumentState.QUEUED
            # Counted from now: the new message is given its time before another is sent.
            document.heartbeat_at = now
            document.save(update_fields=["state", "reason", "heartbeat_at"])
            enqueue_on_commit(document_render_task, document_id=document.pk)
    if waiting:
        logger.warning("Document jobs queued again: %s", [document.pk for document in waiting])
    return [document.pk for document in waiting]


@shared_task
def documents_requeue_stale_task() -> list[int]:
    """Queue again the document jobs whose worker died or whose message was lost (beat)."""
    return documents_requeue_stale()
