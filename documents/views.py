"""Shared pages of the document pipeline: a job's status (polled by htmx), the download,
and "Försök igen". Access is the subject's app's business (its registered `access`)."""

import mimetypes

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from documents import jobs, selectors
from documents.models import DocumentState, GeneratedDocument
from documents.registry import label_of


def _document(request, pk, *, change=False) -> GeneratedDocument:
    try:
        document = GeneratedDocument.objects.select_related("subject_type").get(pk=pk)
    except (GeneratedDocument.DoesNotExist, ValueError):
        raise Http404 from None
    selectors.check_access(request.user, document, change=change)
    return document


def _can_change(request, document) -> bool:
    try:
        selectors.check_access(request.user, document, change=True)
    except (PermissionDenied, Http404):
        return False
    return True


def status_context(request, document: GeneratedDocument) -> dict:
    done, total = selectors.progress(document)
    return {
        "document": document,
        "stale": selectors.is_stale(document),
        "can_retry": _can_change(request, document),
        "label": label_of(document.kind),
        "parts_done": done,
        "parts_total": total,
    }


def documents_context(
    request,
    subject,
    kind: str,
    *,
    request_url: str,
    can_request: bool,
    can_retry: bool | None = None,
) -> dict:
    """What documents/_block.html shows of the subject's documents of `kind`: the latest
    job's status, the stored versions, and "Skapa PDF" (posting to `request_url`) for
    those who may request one. One query; `can_retry`, when the caller knows it, saves
    the access check that "Försök igen" otherwise takes."""
    latest, versions = selectors.document_overview(subject, kind)
    status = None
    if latest is not None:
        status = (
            status_context(request, latest)
            if can_retry is None
            else {"document": latest, "stale": selectors.is_stale(latest), "can_retry": can_retry}
        )
    return {
        "document_status": status,
        "document_versions": versions,
        "document_request_url": request_url if can_request else "",
    }


def document_status(request, pk):
    """The job's state as a partial; while köad or pågår it asks again every 2 s."""
    document = _document(request, pk)
    return render(request, "documents/_status.html", status_context(request, document))


def document_download(request, pk):
    document = _document(request, pk)
    if document.state != DocumentState.DONE:
        raise Http404
    try:
        handle = default_storage.open(document.file.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = mimetypes.guess_type(document.filename)[0] or "application/octet-stream"
    response = FileResponse(
        handle, as_attachment=True, filename=document.filename, content_type=content_type
    )
    response["X-Checksum-SHA256"] = document.sha256
    return response


@require_POST
def document_retry(request, pk):
    if not request.user.is_authenticated:
        return redirect(f"{_login_url()}?next={request.path}")
    document = _document(request, pk, change=True)
    try:
        document = jobs.document_retry(actor=request.user, document=document)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if request.htmx:
        return render(request, "documents/_status.html", status_context(request, document))
    messages.success(request, _("Dokumentet har köats igen."))
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, {request.get_host()}):
        return redirect(back)
    return redirect("start")


def _login_url():
    from django.conf import settings
    from django.shortcuts import resolve_url

    return resolve_url(settings.LOGIN_URL)
