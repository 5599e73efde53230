"""The PDF block of the plan pages: who sees "Skapa PDF", and the anonymous visitor's
cached page, which must not keep showing a job as köad once it is done."""

import pytest
from django.urls import reverse

from documents import jobs as document_jobs
from documents.models import DocumentState
from plans import services

pytestmark = pytest.mark.django_db


def test_only_the_kansli_is_offered_skapa_pdf(client, kansli, board_member, operational_plan):
    assert (
        "Ingen PDF har skapats ännu."
        in client.get(operational_plan.get_absolute_url()).content.decode()
    )
    client.force_login(board_member)
    assert "Skapa PDF" not in client.get(operational_plan.get_absolute_url()).content.decode()
    client.force_login(kansli)
    page = client.get(operational_plan.get_absolute_url()).content.decode()
    assert "Skapa PDF" in page
    assert (
        reverse(
            "plans:operational_plan_pdf", kwargs={"hr": "mellansverige", "pk": operational_plan.pk}
        )
        in page
    )


def test_the_cached_anonymous_page_shows_the_pdf_once_the_worker_is_done(
    client, kansli, operational_plan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        document = services.plan_pdf_request(actor=kansli, plan=operational_plan)
    assert "Köad" in client.get(operational_plan.get_absolute_url()).content.decode()
    assert "Köad" in client.get(operational_plan.get_absolute_url()).content.decode()  # cached
    with django_capture_on_commit_callbacks(execute=True):
        document_jobs.document_render(document_id=document.pk)  # what the worker runs
    document.refresh_from_db()
    assert document.state == DocumentState.DONE, document.reason
    page = client.get(operational_plan.get_absolute_url()).content.decode()
    assert "Köad" not in page and document.sha256 in page
