"""Reads of the document pipeline: a subject's jobs and stored versions, and access."""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from documents.models import DocumentState, GeneratedDocument
from documents.registry import registered


def stale_after() -> datetime.timedelta:
    """A job "pågår" without a heartbeat for this long has lost its worker: the worker
    refreshes the heartbeat every few seconds while it renders (documents.jobs)."""
    return datetime.timedelta(seconds=settings.DOCUMENT_STALE_SECONDS)


def queued_lost_after() -> datetime.timedelta:
    """A job "köad" this long without being claimed has lost its message (the broker
    restarted without persistence, say): beat queues it again."""
    return datetime.timedelta(seconds=settings.DOCUMENT_QUEUED_LOST_SECONDS)


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


def last_sign_of_life(document: GeneratedDocument) -> datetime.datetime | None:
    return document.heartbeat_at or document.started_at


def is_stale(document: GeneratedDocument, now: datetime.datetime | None = None) -> bool:
    """Pågår, and its worker has not been heard of for stale_after()."""
    now = now or timezone.now()
    alive = last_sign_of_life(document)
    return (
        document.state == DocumentState.RUNNING
        and alive is not None
        and alive < now - stale_after()
    )


def is_waiting_for_public(document: GeneratedDocument | None) -> bool:
    """A decided version that is not there yet (köad, pågår, or failed and waiting for the
    kansli's "Försök igen"): the public is told it is being made, not why it failed."""
    return document is not None and document.is_snapshot and document.state != DocumentState.DONE


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
