"""The document pipeline every app shares: request a document, render it in a worker, store it.

An app registers a renderer per kind of document from its AppConfig.ready:

    register_renderer("followup_report", render_followup_pdf, access=followup_access)

`render(subject) -> (filename, bytes)` is a pure function of the objects it is given;
`access(user, subject, *, change=False)` raises Http404 / PermissionDenied like the
app's own access helpers, so the shared status and download views need not know the
app (samverkan never imports plans or pricing).

A request creates a GeneratedDocument row in state köad and queues the job after the
commit. The worker claims the row (köad → pågår), renders outside any transaction,
and stores the bytes under their sha256 in default_storage: the same bytes are stored
once, and a job whose bytes equal an earlier finished document of the same subject and
kind points at that file. A render that fails for good leaves the job misslyckad with
a reason in Swedish; a transient failure (OSError: storage, a font file) puts it back
in the queue for a retry. A job stuck in pågår longer than STALE_AFTER (its worker
was killed) may be claimed again, by the redelivered message, by "Försök igen" or by
documents_requeue_stale.
"""

import datetime
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.dispatch import Signal
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.models import DocumentState, GeneratedDocument

if TYPE_CHECKING:
    from samverkan.document_parts import PartedRenderer

logger = logging.getLogger(__name__)

# A render of the largest document takes seconds; a job "pågår" for this long has lost its worker.
STALE_AFTER = datetime.timedelta(minutes=10)
PDF_VARIANT = "pdf/ua-1"

# Sent with `document` whenever a job ends (klar, misslyckad) or goes back to the queue:
# an app that caches pages showing a document's state listens (plans.pdf).
document_changed = Signal()


@dataclass(frozen=True)
class Renderer:
    kind: str
    render: Callable
    access: Callable | None = None
    label: str = ""
    parted: "PartedRenderer | None" = None


_RENDERERS: dict[str, Renderer] = {}


def register_renderer(kind: str, render: Callable, *, access: Callable | None = None,
                      label: str = "") -> None:
    """Make `render(subject) -> (filename, bytes)` the renderer of documents of `kind`."""
    _RENDERERS[kind] = Renderer(kind, render, access, label)


def register_parted_renderer(kind: str, *, parts: Callable, front: Callable,
                             page_numbers: Callable, filename: Callable,
                             access: Callable | None = None, label: str = "") -> None:
    """A long document rendered in parts on several workers (samverkan.document_parts)."""
    from samverkan.document_parts import PartedRenderer

    _RENDERERS[kind] = Renderer(kind, None, access, label, PartedRenderer(
        parts=parts, front=front, page_numbers=page_numbers, filename=filename))


def renderer_for(kind: str) -> Renderer:
    try:
        return _RENDERERS[kind]
    except KeyError:
        raise LookupError(f"Ingen renderare registrerad för {kind!r}") from None


def html_to_pdf(html: str, *, base_url: str | None = None, tagged: bool = True) -> bytes:
    """Tagged PDF (PDF/UA-1) from HTML; the HTML carries lang="sv" and a <title>.
    Untagged only for what is drawn onto a tagged page as an artifact (page numbers)."""
    import weasyprint  # heavy: loaded by the worker when it first renders, not by every web process

    return weasyprint.HTML(string=html, base_url=base_url).write_pdf(
        pdf_variant=PDF_VARIANT if tagged else None)


def label_of(kind: str) -> str:
    """What the page calls a document of this kind ("PDF", "Excel")."""
    renderer = _RENDERERS.get(kind)
    return renderer.label if renderer is not None and renderer.label else "PDF"


# Reads -------------------------------------------------------------------------------


def documents_of(subject, kind: str | None = None) -> QuerySet[GeneratedDocument]:
    """The subject's documents, newest first."""
    queryset = GeneratedDocument.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk)
    return queryset.filter(kind=kind) if kind else queryset


def latest_document(subject, kind: str) -> GeneratedDocument | None:
    return documents_of(subject, kind).first()


def stored_versions(subject, kind: str) -> list[GeneratedDocument]:
    """Every distinct stored file of the subject, oldest first: one row per checksum,
    the first job that produced it (a later job with the same bytes reused it)."""
    return _distinct_versions(documents_of(subject, kind).filter(state=DocumentState.DONE))


def _distinct_versions(done) -> list[GeneratedDocument]:
    seen, versions = set(), []
    for document in sorted(done, key=lambda d: (d.finished_at, d.pk)):
        if document.sha256 not in seen:
            seen.add(document.sha256)
            versions.append(document)
        elif document.is_snapshot:
            # The decided version is flagged on whichever row was made at the decision.
            for kept in versions:
                if kept.sha256 == document.sha256:
                    kept.is_snapshot = True
    return versions


def document_overview(subject, kind: str) -> tuple[GeneratedDocument | None,
                                                   list[GeneratedDocument]]:
    """The subject's latest job and its stored versions (as `stored_versions`), in one
    query: what a page showing the document's status and versions needs."""
    jobs = list(documents_of(subject, kind))
    done = [job for job in jobs if job.state == DocumentState.DONE]
    return (jobs[0] if jobs else None), _distinct_versions(done)


def is_stale(document: GeneratedDocument, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return (document.state == DocumentState.RUNNING and document.started_at is not None
            and document.started_at < now - STALE_AFTER)


def check_access(user, document: GeneratedDocument, *, change: bool = False):
    """Raise Http404 / PermissionDenied as the subject's app decides; return the subject."""
    from django.http import Http404

    subject = document.subject
    if subject is None:
        raise Http404
    renderer = _RENDERERS.get(document.kind)
    if renderer is None or renderer.access is None:
        raise Http404
    renderer.access(user, subject, change=change)
    return subject


# Writes ------------------------------------------------------------------------------


def document_request(*, actor, subject, kind: str, snapshot: bool = False) -> GeneratedDocument:
    """Queue a render of `subject` as a document of `kind`; returns the job (köad)."""
    from samverkan.tasks import document_render_task, enqueue_on_commit

    renderer_for(kind)
    with transaction.atomic():
        document = GeneratedDocument.objects.create(
            subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk,
            kind=kind, is_snapshot=snapshot,
            requested_by=actor if actor is not None and actor.is_authenticated else None,
        )
        # After commit: a worker that took the job first would not find the row.
        enqueue_on_commit(document_render_task, document_id=document.pk)
    return document


def document_render_now(*, actor, subject, kind: str, snapshot: bool = False) -> GeneratedDocument:
    """Render in this process, without the queue (demo data, management commands)."""
    renderer_for(kind)
    document = GeneratedDocument.objects.create(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk,
        kind=kind, is_snapshot=snapshot,
        requested_by=actor if actor is not None and actor.is_authenticated else None)
    document_render(document_id=document.pk, inline=True)
    document.refresh_from_db()
    return document


def _claim(document_id: int) -> GeneratedDocument | None:
    with transaction.atomic():
        document = (GeneratedDocument.objects.select_for_update(skip_locked=True)
                    .filter(pk=document_id).first())
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


def _failure_reason(error: Exception) -> str:
    if isinstance(error, TemplateDoesNotExist):
        return _("Mallen för dokumentet saknas (%(name)s).") % {"name": error}
    if isinstance(error, TemplateSyntaxError):
        return _("Mallen för dokumentet innehåller ett fel: %(error)s") % {"error": error}
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return _("Dokumentet kunde inte skapas (%(type)s: %(error)s).") % {
        "type": type(error).__name__, "error": error}


def _finish(document: GeneratedDocument, **fields) -> None:
    fields.setdefault("finished_at", timezone.now())
    GeneratedDocument.objects.filter(pk=document.pk).update(**fields)
    for name, value in fields.items():
        setattr(document, name, value)
    document_changed.send(sender=GeneratedDocument, document=document)


def _store(document: GeneratedDocument, filename: str, content: bytes) -> None:
    sha256 = hashlib.sha256(content).hexdigest()
    earlier = (documents_of(document.subject, document.kind)
               .filter(state=DocumentState.DONE, sha256=sha256).exclude(pk=document.pk)
               .order_by("finished_at").first())
    if earlier is not None and default_storage.exists(earlier.file.name):
        name = earlier.file.name
    else:
        # Named by content, so a retry after a crash between save and update rewrites nothing.
        extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
        name = f"documents/{document.kind}/{sha256[:2]}/{sha256}.{extension}"
        if not default_storage.exists(name):
            name = default_storage.save(name, ContentFile(content))
    _finish(document, state=DocumentState.DONE, filename=filename, file=name, sha256=sha256,
            size=len(content), reason="")


def document_render(*, document_id: int, inline: bool = False) -> GeneratedDocument | None:
    """Render and store one queued document (the worker's side). Transient errors
    (OSError) are re-raised with the job back in the queue, for the task to retry."""
    document = _claim(document_id)
    if document is None:
        return None
    renderer = renderer_for(document.kind)
    try:
        if renderer.parted is not None:
            from samverkan import document_parts

            # Finished by the part tasks, or here and now when rendering inline.
            document_parts.start(document, renderer.parted, inline=inline)
        else:
            filename, content = renderer.render(document.subject)
            _store(document, filename, content)
    except OSError as error:
        _finish(document, state=DocumentState.QUEUED, finished_at=None,
                reason=_("Tillfälligt fel, nytt försök görs: %(error)s") % {"error": error})
        raise
    except Exception as error:
        logger.exception("Document %s failed", document.pk)
        _finish(document, state=DocumentState.FAILED, reason=_failure_reason(error))
    return document


def document_give_up(*, document_id: int, error: Exception) -> None:
    """The last retry failed too: the job is misslyckad, with why."""
    if GeneratedDocument.objects.filter(
        pk=document_id, state__in=[DocumentState.QUEUED, DocumentState.RUNNING]
    ).update(state=DocumentState.FAILED, finished_at=timezone.now(),
             reason=_("Dokumentet kunde inte skapas efter flera försök: %(error)s")
             % {"error": error}):
        document_changed.send(sender=GeneratedDocument,
                              document=GeneratedDocument.objects.get(pk=document_id))


def document_retry(*, actor, document: GeneratedDocument) -> GeneratedDocument:
    """Queue a failed or stalled job again ("Försök igen")."""
    from samverkan.tasks import document_render_task, enqueue_on_commit

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
    from samverkan.tasks import document_render_task, enqueue_on_commit

    now = now or timezone.now()
    with transaction.atomic():
        stale = list(GeneratedDocument.objects.select_for_update(skip_locked=True).filter(
            Q(state=DocumentState.RUNNING), started_at__lt=now - STALE_AFTER))
        for document in stale:
            document.state = DocumentState.QUEUED
            document.reason = _("Arbetet avbröts och har köats igen.")
            document.save(update_fields=["state", "reason"])
            enqueue_on_commit(document_render_task, document_id=document.pk)
    return [document.pk for document in stale]
