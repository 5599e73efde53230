"""Plans' PDFs through a real worker: the snapshot made at the decision, the page's status
polled by htmx, versions by checksum, and the anonymous visitor's download."""

import pytest
import redis
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse

from documents import selectors as document_selectors
from documents.models import DocumentState, GeneratedDocument
from plans import services
from plans.models import PlanState
from tests.plans.test_followup_tasks import wait_done

pytestmark = pytest.mark.django_db(transaction=True)


def _url(name, plan):
    return reverse(f"plans:{name}", kwargs={"hr": "mellansverige", "pk": plan.pk})


@pytest.fixture
def review_plan(draft_plan, kansli):
    return services.plan_transition(actor=kansli, plan=draft_plan, to_state=PlanState.REVIEW)


def test_the_decision_queues_the_frozen_snapshot_and_anonymous_visitors_download_it(
    client, celery_worker, review_plan, kansli, published_meeting
):
    plan = services.plan_decide(
        actor=kansli, plan=review_plan, meeting=published_meeting, paragraph=53
    )
    snapshot = wait_done(document_selectors.latest_document(plan, "plans.activity_plan"))
    assert snapshot.state == DocumentState.DONE and snapshot.is_snapshot, snapshot.reason
    assert snapshot.requested_by == kansli

    page = client.get(plan.get_absolute_url()).content.decode()
    assert snapshot.sha256 in page and "Ja, fryst vid beslutet" in page
    assert "Skapa PDF" not in page
    download = client.get(reverse("documents:download", kwargs={"pk": snapshot.pk}))
    assert download.status_code == 200 and download["X-Checksum-SHA256"] == snapshot.sha256
    assert b"".join(download.streaming_content) == default_storage.open(snapshot.file.name).read()


def test_the_kansli_makes_a_pdf_and_the_page_polls_until_it_is_there(
    client, celery_worker, draft_plan, kansli
):
    client.force_login(kansli)
    with celery_worker.paused():
        response = client.post(_url("activity_plan_pdf", draft_plan))
        assert response["Location"].endswith("#dokument")
        html = client.get(draft_plan.get_absolute_url()).content.decode()
        assert "Köad" in html and 'hx-trigger="every 2s"' in html and "Skapa PDF" in html
    document = wait_done(document_selectors.latest_document(draft_plan, "plans.activity_plan"))
    assert document.state == DocumentState.DONE and not document.is_snapshot, document.reason
    status = client.get(reverse("documents:status", kwargs={"pk": document.pk})).content.decode()
    assert "every 2s" not in status and "Ladda ned aktivitetsplan-mellansverige-" in status
    client.logout()  # a draft's PDF is the kansli's alone
    assert client.get(reverse("documents:download", kwargs={"pk": document.pk})).status_code == 404


def test_a_decided_plans_later_pdf_reuses_the_snapshots_file(
    celery_worker, operational_plan, kansli
):
    first = wait_done(services.plan_pdf_request(actor=kansli, plan=operational_plan))
    again = wait_done(services.plan_pdf_request(actor=kansli, plan=operational_plan))
    assert first.state == DocumentState.DONE, first.reason
    assert (again.sha256, again.file.name) == (first.sha256, first.file.name)
    assert len(document_selectors.stored_versions(operational_plan, "plans.operational_plan")) == 1


def test_nothing_is_queued_before_the_decision_commits(
    celery_worker_process, review_plan, kansli, published_meeting
):
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    try:
        with celery_worker_process.paused():
            broker.delete(queue)
            with transaction.atomic():
                services.plan_decide(actor=kansli, plan=review_plan, meeting=published_meeting)
                assert GeneratedDocument.objects.filter(is_snapshot=True).count() == 1
                assert broker.llen(queue) == 0
            assert broker.llen(queue) == 1
    finally:
        broker.close()
    wait_done(GeneratedDocument.objects.get(is_snapshot=True))


def test_a_decision_that_fails_queues_no_snapshot(
    celery_worker_process, review_plan, kansli, mellansverige, sodra
):
    from tests.factories import BodyFactory, MeetingFactory

    elsewhere = MeetingFactory(body=BodyFactory(healthcare_region=sodra))
    with pytest.raises(Exception, match="annan sjukvårdsregion"):
        services.plan_decide(actor=kansli, plan=review_plan, meeting=elsewhere)
    assert not GeneratedDocument.objects.exists()
