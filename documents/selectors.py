"""Reads of the document pipeline: a subject's jobs and stored versions, and access."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from documents.models import DocumentState, GeneratedDocument
from documents.registry import registered

# A render of the largest document takes seconds; a job "pågår" for this long has lost its worker.
STALE_AFTER = datetime.timedelta(minutes=10)


def documents_of(subject, kind: str | None = None) -> QuerySet[GeneratedDocument]:
    """The subject's documents, newest first."""
    queryset = GeneratedDocument.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    )
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


def document_overview(
    subject, kind: str
) -> tuple[GeneratedDocument | None, list[GeneratedDocument]]:
    """The subject's latest job and its stored versions (as `stored_versions`), in one
    query: what a page showing the document's status and versions needs."""
    jobs = list(documents_of(subject, kind))
    done = [job for job in jobs if job.state == DocumentState.DONE]
    return (jobs[0] if jobs else None), _distinct_versions(done)


def is_stale(document: GeneratedDocument, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        document.state == DocumentState.RUNNING
        and document.started_at is not None
        and document.started_at < now - STALE_AFTER
    )


def progress(document: GeneratedDocument) -> tuple[int, int]:
    """(parts rendered, parts in all) of a job rendered in parts."""
    return document.parts_done, len(set(document.parts))


def check_access(user, document: GeneratedDocument, *, change: bool = False):
    """Raise Http404 / PermissionDenied as the subject's app decides; return the subject."""
    subject = document.subject
    if subject is None:
        raise Http404
    renderer = registered(document.kind)
    if renderer is None or renderer.access is None:
        raise Http404
    renderer.access(user, subject, change=change)
    return subject
