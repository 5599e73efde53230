"""How a document job ends: stored (klar), failed with a reason (misslyckad), or given up
after its last retry. Shared by the whole-document job (documents.jobs) and the parts of
a long one (documents.parts), and by the Celery task base both use."""

import hashlib
import logging
import os
import socket
import threading
from contextlib import contextmanager

from celery import Task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.models import DocumentState, GeneratedDocument
from documents.registry import document_changed
from documents.selectors import documents_of

logger = logging.getLogger(__name__)

# Failures that say nothing about the document: the disk, a font file, the database
# connection. The job goes back in the queue and is tried again.
TRANSIENT_ERRORS = (OSError, OperationalError, InterfaceError)

PENDING_STATES = (DocumentState.QUEUED, DocumentState.RUNNING)


def failure_reason(error: Exception) -> str:
    """Why the job failed, in Swedish and for the page; the technical text goes to the log
    (the callers log the exception)."""
    if isinstance(error, TemplateDoesNotExist):
        return _("Mallen för dokumentet saknas (%(name)s).") % {"name": error}
    if isinstance(error, TemplateSyntaxError):
        return _("Mallen för dokumentet innehåller ett fel.")
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return _("Dokumentet kunde inte skapas på grund av ett oväntat fel.")


def attempts_reason(attempts: int, error: Exception | None = None) -> str:
    """The reason of a job given up after `attempts` tries, true to how many there were."""
    if attempts > 1:
        reason = _("Dokumentet kunde inte skapas efter %(attempts)s försök.") % {
            "attempts": attempts
        }
    else:
        reason = _("Dokumentet kunde inte skapas.")
    if isinstance(error, DatabaseError):
        cause = _("Databasen svarade inte.")
    elif isinstance(error, OSError):
        cause = _("Filen kunde inte lagras eller läsas.")
    elif error is None:
        cause = _("Arbetet avbröts innan det blev klart.")
    else:
        cause = ""
    return f"{reason} {cause}".strip()


def worker_id() -> str:
    """This process, as the job's `worker` records it ("host:pid")."""
    return f"{socket.gethostname()}:{os.getpid()}"


def announce(document: GeneratedDocument) -> None:
    """Tell the apps the job changed. A receiver's failure (a cache that is down) is
    logged: it cannot change how the job ended."""
    for receiver, result in document_changed.send_robust(
        sender=GeneratedDocument, document=document
    ):
        if isinstance(result, Exception):
            logger.error(
                "A receiver of document_changed (%r) failed for document %s",
                receiver,
                document.pk,
                exc_info=result,
            )


def finish(document: GeneratedDocument, **fields) -> bool:
    """End the job (or put it back in the queue) unless it has ended already: a job that
    is klar or misslyckad is never changed again. Returns whether it changed."""
    fields.setdefault("finished_at", timezone.now())
    changed = GeneratedDocument.objects.filter(pk=document.pk, state__in=PENDING_STATES).update(
        **fields
    )
    if not changed:
        document.refresh_from_db()
        return False
    for name, value in fields.items():
        setattr(document, name, value)
    announce(document)
    return True


def back_in_queue(document: GeneratedDocument, error: Exception) -> None:
    """After a transient error: the job is köad again, for the task's retry. The database
    itself may be what failed; then the retry finds the job still pågår under this
    process's name and takes it (documents.jobs._claim)."""
    logger.warning("Document %s: transient error, tried again", document.pk, exc_info=error)
    if not connection.in_atomic_block and connection.errors_occurred:
        connection.close_if_unusable_or_obsolete()
    try:
        finish(
            document,
            state=DocumentState.QUEUED,
            finished_at=None,
            heartbeat_at=timezone.now(),
            reason=_("Ett tillfälligt fel inträffade; ett nytt försök görs."),
        )
    except DatabaseError:
        logger.warning("Document %s could not be put back in the queue", document.pk)
        if not connection.in_atomic_block:
            connection.close()


@contextmanager
def heartbeat(document_id: int):
    """While the block runs, refresh the job's heartbeat every DOCUMENT_HEARTBEAT_SECONDS
    from a thread of its own (with its own database connection), so a job whose worker
    died is known by its silence within DOCUMENT_STALE_SECONDS."""
    stop = threading.Event()

    def beat():
        from django.db import connection as own_connection

        try:
            while not stop.wait(settings.DOCUMENT_HEARTBEAT_SECONDS):
                try:
                    GeneratedDocument.objects.filter(
                        pk=document_id, state=DocumentState.RUNNING
                    ).update(heartbeat_at=timezone.now())
                except DatabaseError:
                    logger.warning("Heartbeat of document %s failed", document_id, exc_info=True)
                    own_connection.close()
        finally:
            own_connection.close()

    thread = threading.Thread(target=beat, name=f"heartbeat-{document_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


def store(document: GeneratedDocument, filename: str, content: bytes) -> None:
    sha256 = hashlib.sha256(content).hexdigest()
    earlier = (
        documents_of(document.subject, document.kind)
        .filter(state=DocumentState.DONE, sha256=sha256)
        .exclude(pk=document.pk)
        .order_by("finished_at")
        .first()
    )
    if earlier is not None and default_storage.exists(earlier.file.name):
        name = earlier.file.name
    else:
        # Named by content, so a retry after a crash between save and update rewrites nothing.
        extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
        name = f"documents/{document.kind}/{sha256[:2]}/{sha256}.{extension}"
        if not default_storage.exists(name):
            name = default_storage.save(name, ContentFile(content))
    finish(
        document,
        state=DocumentState.DONE,
        filename=filename,
        file=name,
        sha256=sha256,
        size=len(content),
        reason="",
    )


def document_give_up(*, document_id: int, error: Exception) -> None:
    """The last retry failed too: the job is misslyckad, with why (the technical text is
    in the log)."""
    logger.error("Document %s given up", document_id, exc_info=error)
    document = GeneratedDocument.objects.filter(pk=document_id).first()
    if document is not None:
        finish(
            document,
            state=DocumentState.FAILED,
            reason=attempts_reason(max(document.attempts, 1), error),
        )


class DocumentTask(Task):
    """Marks the job misslyckad when its last retry has failed too."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        if "document_id" in kwargs:
            document_give_up(document_id=kwargs["document_id"], error=exc)


# The retry policy of every document task: a transient failure (OSError: storage, a
# font file; the database connection) is tried again with a growing pause; anything
# else fails the job at once. The message is acknowledged only once the task has run,
# and given back when the worker process dies under it (the project's Celery settings
# say so for every task; stated here too because the document jobs depend on it).
RETRY_POLICY = {
    "base": DocumentTask,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 2,
    "retry_backoff_max": 60,  # below DOCUMENT_QUEUED_LOST_SECONDS: beat leaves a retry be
    "retry_jitter": True,
    "max_retries": 5,
}
