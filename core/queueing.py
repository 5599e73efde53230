"""Queueing a job only once the data it is about is committed, and not failing the
request when the broker is away."""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Queue `task` once the surrounding transaction commits, and not at all if it rolls back.

    A worker that picked the job up before the commit would not see the rows the job
    is about, or would act on rows that are then rolled back. If the broker cannot be
    reached the request still succeeds: the write is committed, and a job whose state
    is in the database (a document job, köad) is sent again by beat's requeue once the
    broker is back; the failure is logged.
    """
    transaction.on_commit(lambda: _send(task, args, kwargs))


def _send(task, args, kwargs) -> None:
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except (OperationalError, OSError) as error:
        logger.warning("Broker unreachable, %s not sent now: %s", task.name, error)
