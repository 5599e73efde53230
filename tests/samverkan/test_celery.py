"""Jobs are JSON, acknowledged late, one at a time, and queued only after commit."""

import pytest
import redis
from django.conf import settings
from django.db import transaction
from kombu.exceptions import EncodeError

from core.mail import send_email
from core.queueing import enqueue_on_commit
from samverkan.celery import app
from tests.factories import UserFactory


@pytest.fixture
def broker():
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    yield client
    client.close()


@pytest.fixture
def quiet_queue(celery_worker_process, broker):
    """The test queue, with the session's worker not taking jobs from it, emptied before and after."""
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    with celery_worker_process.paused():
        broker.delete(queue)
        yield queue
        broker.delete(queue)


def test_celery_is_configured_for_json_late_acks_and_one_job_at_a_time():
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.task_default_queue == settings.CELERY_TASK_DEFAULT_QUEUE


@pytest.mark.django_db
def test_passing_a_model_instance_to_a_task_fails_loudly(quiet_queue, broker):
    user = UserFactory()

    with pytest.raises(EncodeError):
        send_email.apply_async(kwargs={"subject": "Hej", "body": user, "to": [user.email]})

    assert broker.llen(quiet_queue) == 0


@pytest.mark.django_db(transaction=True)
def test_a_job_enqueued_on_commit_reaches_the_broker_only_after_the_commit(quiet_queue, broker):
    with transaction.atomic():
        UserFactory()
        enqueue_on_commit(send_email, subject="Hej", body="Text", to=["a@example.org"])

        assert broker.llen(quiet_queue) == 0

    assert broker.llen(quiet_queue) == 1


@pytest.mark.django_db(transaction=True)
def test_a_job_enqueued_in_a_rolled_back_transaction_is_never_queued(quiet_queue, broker):
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        enqueue_on_commit(send_email, subject="Hej", body="Text", to=["a@example.org"])
        raise Abort

    assert broker.llen(quiet_queue) == 0
    assert broker.keys(f"{quiet_queue}*") == []
