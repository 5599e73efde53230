"""Background jobs of the project package, and the helper every app enqueues with."""

import time

from celery import Task, shared_task
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import transaction

BEAT_HEARTBEAT_KEY = "beat:last-heartbeat"


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Queue `task` once the surrounding transaction commits, and not at all if it rolls back.

    A worker that picked the job up before the commit would not see the rows the job
    is about, or would act on rows that are then rolled back.
    """
    transaction.on_commit(lambda: task.apply_async(args=args, kwargs=kwargs))


@shared_task(
    autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600, max_retries=8
)
def send_email(*, subject: str, body: str, to: list[str], reply_to: list[str] | None = None) -> None:
    """Send one e-mail through the configured backend; retried while the mail server is away."""
    EmailMessage(subject=subject, body=body, to=to, reply_to=reply_to or None).send()


@shared_task
def beat_heartbeat() -> float:
    """Record that celery beat is alive; /health/ shows how long ago it last ticked."""
    now = time.time()
    cache.set(BEAT_HEARTBEAT_KEY, now, timeout=None)
    return now


class DocumentTask(Task):
    """Marks the job misslyckad when its last retry has failed too."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        from samverkan.documents import document_give_up

        if "document_id" in kwargs:
            document_give_up(document_id=kwargs["document_id"], error=exc)


@shared_task(
    base=DocumentTask, autoretry_for=(OSError,), retry_backoff=2, retry_backoff_max=300,
    retry_jitter=True, max_retries=5,
)
def document_render_task(*, document_id: int) -> None:
    """Render and store one document (samverkan.documents.document_render)."""
    from samverkan.documents import document_render

    document_render(document_id=document_id)


@shared_task(
    base=DocumentTask, autoretry_for=(OSError,), retry_backoff=2, retry_backoff_max=300,
    retry_jitter=True, max_retries=5,
)
def document_part_task(*, document_id: int, sha256: str) -> None:
    """Render one part of a document made in parts (samverkan.document_parts)."""
    from samverkan.document_parts import part_render

    part_render(document_id=document_id, sha256=sha256)


@shared_task(
    base=DocumentTask, autoretry_for=(OSError,), retry_backoff=2, retry_backoff_max=300,
    retry_jitter=True, max_retries=5,
)
def document_assemble_task(*, document_id: int) -> None:
    """Join the rendered parts of a document into one PDF and store it."""
    from samverkan.document_parts import assemble

    assemble(document_id=document_id)


@shared_task
def documents_requeue_stale() -> list[int]:
    """Queue again the document jobs whose worker died mid-render (run by beat)."""
    from samverkan import documents

    return documents.documents_requeue_stale()
