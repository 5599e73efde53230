"""Återrapport pages: who writes what, ready marks, review by the nämnd, decision freeze."""

import datetime

import pytest
from django.urls import reverse

from documents import jobs as document_jobs
from documents import registry as document_registry
from documents import selectors as document_selectors
from documents.models import DocumentState
from knowledge.models import GroupRole
from plans.followups import services
from plans.models import FollowUpStatus, ReportState
from regions.models import Person
from tests.knowledge.factories import GroupMembershipFactory, RegionalGroupFactory
from tests.plans.factories import ActivityFactory, FocusAreaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(mellansverige):
    return RegionalGroupFactory(healthcare_region=mellansverige, name="Uppföljning och analys")


@pytest.fixture
def lead_of_group(group, group_lead):
    GroupMembershipFactory(
        group=group,
        role=GroupRole.PROCESS_LEAD,
        person=Person.objects.create(first_name="Greta", last_name="Ledare", user=group_lead),
        starts_on=datetime.date(2020, 1, 1),
    )
    return group_lead


@pytest.fixture
def report(draft_plan, group):
    area = draft_plan.focus_areas.get()
    ActivityFactory(
        focus_area=area,
        title="Uppföljning och analys av medicinska resultat",
        responsible_group=group,
    )
    FocusAreaFactory(activity_plan=draft_plan, name="Digitalisering och e-hälsa")
    return services.report_create(
        actor=None,
        activity_plan=draft_plan,
        author_name="Karin Holmström",
        author_unit="Samverkansnämndens kansli",
        report_date=datetime.date(2024, 2, 16),
    )


def url(name, report, **kwargs):
    return reverse(
        f"plans:{name}", kwargs={"hr": report.healthcare_region.slug, "pk": report.pk, **kwargs}
    )


def follow_up(report, title_start):
    return report.follow_ups.get(activity__title__startswith=title_start)


def test_the_group_lead_writes_only_the_activities_of_their_group(client, report, lead_of_group):
    client.force_login(lead_of_group)
    ours, theirs = follow_up(report, "Uppföljning"), follow_up(report, "Utveckla")

    response = client.post(
        url("followup_write", report, follow_up_pk=ours.pk),
        {"status": "genomford", "text": "Gruppen har **bistått** NPO."},
    )

    assert response.status_code == 302
    ours.refresh_from_db()
    assert ours.status == FollowUpStatus.DONE
    assert ours.text == "<p>Gruppen har <strong>bistått</strong> NPO.</p>"
    assert ours.written_by == lead_of_group
    assert client.get(url("followup_write", report, follow_up_pk=theirs.pk)).status_code == 403


def test_report_text_is_sanitised(client, report, kansli):
    client.force_login(kansli)
    item = follow_up(report, "Utveckla")
    client.post(
        url("followup_write", report, follow_up_pk=item.pk),
        {"status": "pagar", "text": '<p onclick="x()">Hej<script>alert(1)</script></p>'},
    )
    item.refresh_from_db()
    assert item.text == "<p>Hej</p>"


def test_the_page_shows_status_as_text_and_how_much_is_ready(client, report, kansli):
    client.force_login(kansli)
    item = follow_up(report, "Utveckla")
    services.follow_up_update(actor=kansli, follow_up=item, status="pagar", text="Text.")
    html = client.get(url("followup", report)).content.decode()
    assert "Status: Pågår" in html
    assert "1 av 2</strong> aktiviteter har status och text" in html
    assert "0 av 2</strong> fokusområden är markerade som klara" in html


def test_a_section_is_ready_only_when_every_activity_has_status_and_text(client, report, kansli):
    client.force_login(kansli)
    section = report.sections.get(focus_area__name="Kunskapsstyrning")
    response = client.post(
        url("followup_section_ready", report, section_pk=section.pk), {"ready": "1"}, follow=True
    )
    assert "Saknas" in response.content.decode()
    section.refresh_from_db()
    assert not section.is_ready

    for item in report.follow_ups.filter(activity__focus_area=section.focus_area):
        services.follow_up_update(actor=kansli, follow_up=item, status="genomford", text="Klart.")
    client.post(url("followup_section_ready", report, section_pk=section.pk), {"ready": "1"})
    section.refresh_from_db()
    assert section.is_ready and section.ready_by == kansli


def test_the_nämnd_sees_the_report_only_once_it_is_sent_and_comments_per_activity(
    client, report, kansli, board_member
):
    client.force_login(board_member)
    assert client.get(url("followup", report)).status_code == 404

    client.force_login(kansli)
    assert client.post(url("followup_send", report)).status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.REVIEW

    client.force_login(board_member)
    item = follow_up(report, "Utveckla")
    response = client.post(
        url("followup_comment", report, follow_up_pk=item.pk),
        {"text": "Hur går det med vårdförloppen i Dalarna?"},
    )
    assert response.status_code == 302
    html = client.get(url("followup", report)).content.decode()
    assert "Hur går det med vårdförloppen i Dalarna?" in html
    assert board_member.get_full_name() or board_member.username in html

    client.force_login(kansli)
    comment = item.comments.get()
    client.post(url("followup_comment_handled", report, comment_pk=comment.pk), {"handled": "1"})
    comment.refresh_from_db()
    assert comment.handled_by == kansli
    assert "Hanterad" in client.get(url("followup", report)).content.decode()


def test_the_decision_freezes_the_report_and_makes_it_public(
    client, report, kansli, published_meeting
):
    assert client.get(url("followup", report)).status_code == 404
    services.report_send_to_board(actor=kansli, report=report)
    client.force_login(kansli)
    response = client.post(
        url("followup_decide", report), {"meeting": published_meeting.pk, "paragraph": 8}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.DECIDED
    assert report.decision.subject == report
    assert report.decision.text == "Återrapporten läggs till handlingarna."
    snapshot = document_selectors.latest_document(report, services.PDF_KIND)
    assert snapshot.is_snapshot and snapshot.state == DocumentState.QUEUED

    assert client.get(url("followup_update", report)).status_code == 403
    item = report.follow_ups.first()
    assert client.get(url("followup_write", report, follow_up_pk=item.pk)).status_code == 403
    client.logout()
    html = client.get(url("followup", report)).content.decode()
    assert "Lagd till handlingarna" in html
    assert "Skriv återrapport" not in html


def test_the_page_says_why_the_pdf_failed(client, report, kansli, monkeypatch):
    from django.template import TemplateSyntaxError

    def broken(_report):
        raise TemplateSyntaxError("Invalid block tag on line 3: 'endfor'")

    renderer = document_registry.renderer_for(services.PDF_KIND)
    monkeypatch.setitem(
        document_registry._RENDERERS,
        services.PDF_KIND,
        document_registry.Renderer(services.PDF_KIND, broken, renderer.access),
    )
    document = document_jobs.document_render_now(
        actor=kansli, subject=report, kind=services.PDF_KIND
    )
    assert document.state == DocumentState.FAILED
    client.force_login(kansli)
    html = client.get(url("followup", report)).content.decode()
    assert "Misslyckad" in html
    assert "Mallen för dokumentet innehåller ett fel." in html
    assert "Invalid block tag" not in html  # the technical text is in the log, not on the page
    assert "Försök igen" in html


def test_the_report_page_takes_the_same_number_of_queries_whatever_its_size(client, report, kansli):
    client.force_login(kansli)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url("followup", report))  # the user's permissions into the cache
    with CaptureQueriesContext(connection) as small:
        client.get(url("followup", report))
    area = report.activity_plan.focus_areas.first()
    for _ in range(10):
        ActivityFactory(focus_area=area)
    report.follow_ups.all().delete()
    report.sections.all().delete()
    report.delete()
    bigger = services.report_create(actor=None, activity_plan=area.activity_plan)
    for item in bigger.follow_ups.all():
        services.follow_up_update(actor=kansli, follow_up=item, status="genomford", text="T.")
    address = url("followup", bigger)  # its sjukvårdsregion is not loaded yet
    with CaptureQueriesContext(connection) as large:
        client.get(address)
    assert len(large) == len(small)


# Historik: who wrote what in each follow-up, when, before and after.


def test_a_group_leads_edit_shows_with_their_name_and_the_text_before_and_after(
    client, report, lead_of_group, kansli
):
    lead_of_group.first_name, lead_of_group.last_name = "Greta", "Ledare"
    lead_of_group.save()
    ours = follow_up(report, "Uppföljning")
    client.force_login(lead_of_group)
    client.post(
        url("followup_write", report, follow_up_pk=ours.pk),
        {"status": "pagar", "text": "Arbetet med indikatorerna har startat."},
    )
    ours.refresh_from_db()
    client.post(
        url("followup_write", report, follow_up_pk=ours.pk),
        {
            "status": "genomford",
            "text": "Indikatorerna är publicerade.",
            "loaded_version": ours.updated_at.isoformat(),
        },
    )

    client.force_login(kansli)
    page = client.get(url("followup_history", report)).content.decode()
    body = page.index("<tbody>")
    latest = page[body : page.index("</tr>", body)]
    assert "Greta Ledare" in latest
    assert "Uppföljning och analys av medicinska resultat" in latest
    assert (
        "<del>Arbetet med indikatorerna har startat.</del> → <ins>Indikatorerna är publicerade.</ins>"
        in latest
    )
    assert "<del>Pågår</del> → <ins>Genomförd</ins>" in latest


def test_ready_marks_header_changes_and_comments_are_on_the_historik_too(
    client, report, kansli, board_member
):
    services.report_update(actor=kansli, report=report, fields={"author_name": "Eva Ek"})
    for item in report.follow_ups.all():
        services.follow_up_update(actor=kansli, follow_up=item, status="genomford", text="Klart.")
    section = report.sections.get(focus_area__name="Kunskapsstyrning")
    services.section_mark_ready(actor=kansli, section=section)
    services.report_send_to_board(actor=kansli, report=report)
    services.comment_create(
        actor=board_member, follow_up=report.follow_ups.first(), text="Tydligt beskrivet."
    )

    client.force_login(board_member)
    page = client.get(url("followup_history", report)).content.decode()
    assert "<del>Karin Holmström</del> → <ins>Eva Ek</ins>" in page
    assert "<del>nej</del> → <ins>ja</ins>" in page  # Kunskapsstyrning marked ready
    assert "<ins>Tydligt beskrivet.</ins>" in page
    assert "<del>Utkast</del> → <ins>Skickad till nämnden</ins>" in page


def test_the_återrapport_page_links_its_historik_for_the_kansli_and_the_writers(
    client, report, kansli, lead_of_group
):
    client.force_login(kansli)
    assert url("followup_history", report) in client.get(report.get_absolute_url()).content.decode()
    client.force_login(lead_of_group)
    assert url("followup_history", report) in client.get(report.get_absolute_url()).content.decode()
