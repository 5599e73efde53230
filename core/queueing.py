"""Queueing a job only once the data it is about is committed."""

from django.db import transaction


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Queue `task` once the surrounding transaction commits, and not at all if it rolls back.

    A worker that picked the job up before the commit would not see the rows the job
    is about, or would act on rows that are then rolled back.
    """
    transaction.on_commit(lambda: task.apply_async(args=args, kwargs=kwargs))
