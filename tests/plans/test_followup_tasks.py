"""The återrapport's PDFs through a real worker: versions by checksum, the frozen snapshot."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from documents import selectors as document_selectors
from documents.models import DocumentState
from plans.followups import services
from tests.fixtures_celery import wait_done
from tests.plans.factories import ActivityFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def report(draft_plan):
    ActivityFactory(focus_area=draft_plan.focus_areas.get(), title="Utarbeta aktivitetsplan 2024")
    return services.report_create(
        actor=None,
        activity_plan=draft_plan,
        author_name="Karin Holmström",
        author_unit="Samverkansnämndens kansli",
        report_date=datetime.date(2024, 2, 16),
    )


def test_the_kansli_requests_a_pdf_and_the_page_polls_until_it_is_there(
    client, celery_worker, report, kansli
):
    client.force_login(kansli)
    page = reverse("plans:followup", kwargs={"hr": "mellansverige", "pk": report.pk})
    with celery_worker.paused():
        client.post(reverse("plans:followup_pdf", kwargs={"hr": "mellansverige", "pk": report.pk}))
        html = client.get(page).content.decode()
        assert "Köad" in html and 'hx-trigger="every 2s"' in html
    document = wait_done(document_selectors.latest_document(report, services.PDF_KIND))
    assert document.state == DocumentState.DONE, document.reason
    status = client.get(reverse("documents:status", kwargs={"pk": document.pk})).content.decode()
    assert "every 2s" not in status and "Ladda ned" in status
    download = client.get(reverse("documents:download", kwargs={"pk": document.pk}))
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_edits_make_new_versions_and_the_decided_snapshot_never_changes(
    celery_worker, report, kansli, published_meeting
):
    first = wait_done(services.report_pdf_request(actor=kansli, report=report))
    again = wait_done(services.report_pdf_request(actor=kansli, report=report))
    assert again.sha256 == first.sha256 and again.file.name == first.file.name

    item = report.follow_ups.first()
    services.follow_up_update(
        actor=kansli,
        follow_up=item,
        status="genomford",
        text="Nämnden beslutade om Aktivitetsplan 2024.",
    )
    edited = wait_done(services.report_pdf_request(actor=kansli, report=report))
    assert edited.sha256 != first.sha256

    services.report_send_to_board(actor=kansli, report=report)
    services.report_decide(actor=kansli, report=report, meeting=published_meeting)
    snapshot = wait_done(document_selectors.latest_document(report, services.PDF_KIND))
    assert snapshot.is_snapshot and snapshot.state == DocumentState.DONE
    frozen = default_storage.open(snapshot.file.name).read()

    later = wait_done(services.report_pdf_request(actor=kansli, report=report))
    assert later.sha256 == snapshot.sha256
    assert default_storage.open(snapshot.file.name).read() == frozen
    versions = document_selectors.stored_versions(report, services.PDF_KIND)
    assert [v.sha256 for v in versions] == [first.sha256, edited.sha256, snapshot.sha256]
    assert [v.is_snapshot for v in versions] == [False, False, True]


def test_a_failed_decided_snapshot_is_retried_by_the_kansli_into_the_same_frozen_version(
    client, celery_worker, report, kansli, published_meeting
):
    import hashlib

    from documents.models import GeneratedDocument
    from plans import pdf as plan_pdf

    services.report_send_to_board(actor=kansli, report=report)
    with celery_worker.paused():
        services.report_decide(actor=kansli, report=report, meeting=published_meeting)
        snapshot = document_selectors.latest_document(report, services.PDF_KIND)
        # What a dropped database connection left behind in issue 13.
        GeneratedDocument.objects.filter(pk=snapshot.pk).update(
            state=DocumentState.FAILED, reason="Dokumentet kunde inte skapas."
        )
        celery_worker_queue_purge(celery_worker)
    page = reverse("plans:followup", kwargs={"hr": "mellansverige", "pk": report.pk})

    public = client.get(page).content.decode()
    assert "Dokumentet skapas" in public
    assert "Misslyckad" not in public and "Försök igen" not in public

    client.force_login(kansli)
    html = client.get(page).content.decode()
    assert "Misslyckad" in html and "Försök igen" in html
    response = client.post(reverse("documents:retry", kwargs={"pk": snapshot.pk}))
    assert response.status_code == 302

    snapshot = wait_done(snapshot)
    assert snapshot.state == DocumentState.DONE, snapshot.reason
    assert snapshot.is_snapshot
    _filename, fresh = plan_pdf.followup_report_document(report)
    assert snapshot.sha256 == hashlib.sha256(fresh).hexdigest()
    [version] = document_selectors.stored_versions(report, services.PDF_KIND)
    assert version.is_snapshot


def celery_worker_queue_purge(worker):
    # The decision's own message: the test stands for a job whose render failed.
    from tests.fixtures_celery import _purge

    _purge(worker.queue)
