"""How a document job ends: stored (klar), failed with a reason (misslyckad), or given up
after its last retry. Shared by the whole-document job (documents.jobs) and the parts of
a long one (documents.parts), and by the Celery task base both use."""

import hashlib

from celery import Task
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.models import DocumentState, GeneratedDocument
from documents.registry import document_changed
from documents.selectors import documents_of


def failure_reason(error: Exception) -> str:
    if isinstance(error, TemplateDoesNotExist):
        return _("Mallen för dokumentet saknas (%(name)s).") % {"name": error}
    if isinstance(error, TemplateSyntaxError):
        return _("Mallen för dokumentet innehåller ett fel: %(error)s") % {"error": error}
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return _("Dokumentet kunde inte skapas (%(type)s: %(error)s).") % {
        "type": type(error).__name__,
        "error": error,
    }


def finish(document: GeneratedDocument, **fields) -> None:
    fields.setdefault("finished_at", timezone.now())
    GeneratedDocument.objects.filter(pk=document.pk).update(**fields)
    for name, value in fields.items():
        setattr(document, name, value)
    document_changed.send(sender=GeneratedDocument, document=document)


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
    """The last retry failed too: the job is misslyckad, with why."""
    if GeneratedDocument.objects.filter(
        pk=document_id, state__in=[DocumentState.QUEUED, DocumentState.RUNNING]
    ).update(
        state=DocumentState.FAILED,
        finished_at=timezone.now(),
        reason=_("Dokumentet kunde inte skapas efter flera försök: %(error)s") % {"error": error},
    ):
        document_changed.send(
            sender=GeneratedDocument, document=GeneratedDocument.objects.get(pk=document_id)
        )


class DocumentTask(Task):
    """Marks the job misslyckad when its last retry has failed too."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        if "document_id" in kwargs:
            document_give_up(document_id=kwargs["document_id"], error=exc)


# The retry policy of every document task: a transient failure (OSError: storage, a
# font file) is tried again with a growing pause; anything else fails the job at once.
RETRY_POLICY = {
    "base": DocumentTask,
    "autoretry_for": (OSError,),
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
}
