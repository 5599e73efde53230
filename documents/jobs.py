"""Document jobs: request a document, render it in a worker, store it.

A request creates a GeneratedDocument row in state köad and queues the job after the
commit. The worker claims the row (köad → pågår), renders outside any transaction,
and stores the bytes under their sha256 in default_storage: the same bytes are stored
once, and a job whose bytes equal an earlier finished document of the same subject and
kind points at that file (documents.outcomes). A render that fails for good leaves the
job misslyckad with a reason in Swedish; a transient failure (OSError: storage, a font
file) puts it back in the queue for a retry. A job stuck in pågår longer than
STALE_AFTER (its worker was killed) may be claimed again, by the redelivered message,
by "Försök igen" or by documents_requeue_stale. Each task stands beside the function
it runs.
"""

import datetime
import logging

from celery import shared_task
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.queueing import enqueue_on_commit
from documents import parts
from documents.models import DocumentState, GeneratedDocument
from documents.outcomes import RETRY_POLICY, failure_reason, finish, store
from documents.registry import renderer_for
from documents.selectors import STALE_AFTER, is_stale

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


def _claim(document_id: int) -> GeneratedDocument | None:
    with transaction.atomic():
        document = (
            GeneratedDocument.objects.select_for_update(skip_locked=True)
            .filter(pk=document_id)
            .first()
        )
        if document is None:
            return None  # gone, or another worker holds it right now
        if document.state == DocumentState.RUNNING and not is_stale(document):
            return None
        if document.state not in (DocumentState.QUEUED, DocumentState.RUNNING):
            return None  # done or failed already: a redelivered message changes nothing
        document.state = DocumentState.RUNNING
        document.attempts += 1
        document.started_at = timezone.now()
        document.reason = ""
        document.save(update_fields=["state", "attempts", "started_at", "reason"])
        return document


def document_render(*, document_id: int, inline: bool = False) -> GeneratedDocument | None:
    """Render and store one queued document (the worker's side). Transient errors
    (OSError) are re-raised with the job back in the queue, for the task to retry."""
    document = _claim(document_id)
    if document is None:
        return None
    renderer = renderer_for(document.kind)
    try:
        if renderer.parted is not None:
            # Finished by the part tasks, or here and now when rendering inline.
            parts.start(document, renderer.parted, inline=inline)
        else:
            filename, content = renderer.render(document.subject)
            store(document, filename, content)
    except OSError as error:
        finish(
            document,
            state=DocumentState.QUEUED,
            finished_at=None,
            reason=_("Tillfälligt fel, nytt försök görs: %(error)s") % {"error": error},
        )
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
        current.save(update_fields=["state", "reason", "finished_at"])
        enqueue_on_commit(document_render_task, document_id=current.pk)
    return current


def documents_requeue_stale(*, now: datetime.datetime | None = None) -> list[int]:
    """Queue again every job left "pågår" by a worker that died; returns their ids."""
    now = now or timezone.now()
    with transaction.atomic():
        stale = list(
            GeneratedDocument.objects.select_for_update(skip_locked=True).filter(
                state=DocumentState.RUNNING, started_at__lt=now - STALE_AFTER
            )
        )
        for document in stale:
            document.state = DocumentState.QUEUED
            document.reason = _("Arbetet avbröts och har köats igen.")
            document.save(update_fields=["state", "reason"])
            enqueue_on_commit(document_render_task, document_id=document.pk)
    return [document.pk for document in stale]


@shared_task
def documents_requeue_stale_task() -> list[int]:
    """Queue again the document jobs whose worker died mid-render (run by beat)."""
    return documents_requeue_stale()
