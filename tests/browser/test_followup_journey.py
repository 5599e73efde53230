"""Återrapporten in a real browser, with a real Celery worker rendering its PDFs.

The kansli creates the Återrapport aktivitetsplan 2023, writes follow-ups and marks a
fokusområde ready; the processledare of RSG Uppföljning och analys writes the one her
group answers for and marks her fokusområde ready; the kansli sends it to the nämnd; a
nämnd member comments; the kansli marks the comment handled, makes the PDF (the page
polls the job until it is klar) and downloads it, and records the nämnd's decision; an
anonymous visitor downloads the decided PDF.

Every page visited is checked with axe (WCAG 2.1 A and AA) and photographed to
test-artifacts/screenshots/.
"""

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from plans.followups import services as followup_services
from plans.models import ActivityFollowUp, FollowUpReport, ReportState
from regions.models import Person, RoleGroup
from tests.browser.conftest import check_a11y, login
from tests.conftest import PASSWORD, _user_with_role

pytestmark = pytest.mark.django_db(transaction=True)

DIGITAL = "Digitalisering och e-hälsa"
KNOWLEDGE = "Kunskapsstyrning"
ANALYSIS = "Uppföljning och analys av medicinska resultat"


@pytest.fixture
def followup_demo(demo_data):
    call_command("loaddata", "knowledge.yaml", "plans.yaml", verbosity=0)


@pytest.fixture
def users(followup_demo, mellansverige):
    kansli = _user_with_role("kansli", RoleGroup.Role.KANSLI, mellansverige)
    lead = _user_with_role("gruppledare", RoleGroup.Role.GROUP_LEAD, mellansverige)
    # The demo's processledare of RSG Uppföljning och analys (fixtures/knowledge.yaml).
    Person.objects.filter(pk=9001).update(user=lead)
    member = _user_with_role("namnd", RoleGroup.Role.BOARD_MEMBER, mellansverige)
    member.first_name, member.last_name = "Nora", "Nämndesson"
    member.save()
    return kansli, lead, member


def _report_page(page: Page, live_server, name: str) -> None:
    report = FollowUpReport.objects.get()
    page.goto(live_server.url + report.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Återrapport aktivitetsplan 2023")
    check_a11y(page, name)


def _write(page: Page, title_start: str, status: str, text: str, name: str) -> None:
    item = page.locator(".follow-up", has=page.get_by_role("heading", name=title_start))
    item.get_by_role("link", name="Skriv återrapport").click()
    check_a11y(page, f"skriv-{name}")
    page.get_by_label("Status").select_option(label=status)
    page.get_by_label("Återrapport", exact=True).fill(text)
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".messages")).to_contain_text("är sparad")
    check_a11y(page, f"sparad-{name}")


def _mark_ready(page: Page, area: str, name: str) -> None:
    page.get_by_role("button", name=f"Markera som klart ({area})").click()
    expect(page.locator(".messages")).to_contain_text(f"”{area}” är markerat som klart")
    check_a11y(page, f"klart-{name}")


def test_the_återrapport_from_draft_to_a_published_pdf(
    page: Page, new_page, live_server, users, celery_worker
):
    kansli, lead, member = users

    # The kansli creates the återrapport from the aktivitetsplan.
    login(page, live_server, kansli.username, PASSWORD)
    page.goto(live_server.url + "/mellansverige/planering/")
    check_a11y(page, "planering")
    page.get_by_role("link", name="Återrapporter om aktivitetsplanernas aktiviteter").click()
    check_a11y(page, "aterrapporter")
    page.get_by_role("link", name="Ny återrapport").click()
    check_a11y(page, "ny-aterrapport")
    page.get_by_label("Aktivitetsplan").select_option(label="Aktivitetsplan 2023")
    page.get_by_label("Upprättare", exact=True).fill("Karin Holmström")
    page.get_by_label("Datum").fill("2024-02-16")
    page.get_by_role("button", name="Skapa återrapporten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Återrapport aktivitetsplan 2023")
    check_a11y(page, "skapad")
    expect(page.locator("#progress-activities")).to_contain_text("0 av 21")

    # ... writes both activities of Digitalisering och e-hälsa and marks it ready.
    _write(
        page,
        "Utveckla samverkan övergripande kring ledningssystem",
        "Pågår",
        "Informationssäkerhetsgruppen har under året påbörjat en inventering.",
        "kansli-1",
    )
    _write(
        page,
        "Samarbeta i utvecklingen av gemensamt",
        "Genomförd",
        "Ledningsgruppen har under året uppdaterat varandra.",
        "kansli-2",
    )
    _mark_ready(page, DIGITAL, "kansli")
    expect(page.locator("#progress-sections")).to_contain_text("1 av 5")

    # The other activities of Kunskapsstyrning were written by the kansli earlier.
    report = FollowUpReport.objects.get()
    for item in ActivityFollowUp.objects.filter(
        report=report, activity__focus_area__name=KNOWLEDGE
    ).exclude(activity__title__startswith=ANALYSIS):
        followup_services.follow_up_update(
            actor=kansli, follow_up=item, status="genomford", text="Arbetet har genomförts."
        )

    # The group lead writes her group's activity, only that one, and marks the area ready.
    lead_page = new_page()
    login(lead_page, live_server, lead.username, PASSWORD)
    _report_page(lead_page, live_server, "gruppledare")
    expect(lead_page.get_by_role("link", name="Skriv återrapport")).to_have_count(1)
    _write(
        lead_page,
        ANALYSIS,
        "Genomförd",
        "Sjukvårdsregionala samverkansgruppen, RSG, för Uppföljning och analys har under "
        "året arbetat med att bistå de nationella programområden.",
        "gruppledare",
    )
    _mark_ready(lead_page, KNOWLEDGE, "gruppledare")

    # The kansli sends it to the nämnd.
    _report_page(page, live_server, "kansli-igen")
    expect(page.locator("#progress-sections")).to_contain_text("2 av 5")
    page.get_by_role("button", name="Skicka till nämnden").click()
    expect(page.locator(".messages")).to_contain_text("skickad till nämnden")
    check_a11y(page, "skickad")

    # A nämnd member comments on the group's activity.
    member_page = new_page()
    login(member_page, live_server, member.username, PASSWORD)
    _report_page(member_page, live_server, "namnd")
    member_page.get_by_label(f"Din kommentar till {ANALYSIS}", exact=False).fill(
        "Vilka indikatorer följs upp 2024?"
    )
    member_page.get_by_role("button", name=f"Skicka kommentar till {ANALYSIS}", exact=False).click()
    expect(member_page.locator(".messages")).to_contain_text("Din kommentar är sparad")
    check_a11y(member_page, "kommenterad")
    expect(member_page.locator(".comment")).to_contain_text("Nora Nämndesson")

    # The kansli marks it handled, makes the PDF and downloads it once the page says klar.
    _report_page(page, live_server, "kansli-kommentar")
    expect(page.locator(".comment")).to_contain_text("Vilka indikatorer följs upp 2024?")
    page.get_by_role("button", name="Markera som hanterad", exact=False).click()
    check_a11y(page, "hanterad")
    page.get_by_role("button", name="Skapa PDF").click()
    check_a11y(page, "pdf-begard")
    download_link = page.locator("#dokument").get_by_role("link", name="Ladda ned")
    expect(download_link).to_be_visible(timeout=30_000)  # swapped in by the htmx poll
    check_a11y(page, "pdf-klar")
    with page.expect_download() as download:
        download_link.click()
    assert download.value.suggested_filename == (
        "aterrapport-aktivitetsplan-2023-mellansverige.pdf"
    )
    assert open(download.value.path(), "rb").read(5) == b"%PDF-"

    # The nämnd's decision, recorded by the kansli.
    page.get_by_role("link", name="Registrera nämndens beslut").click()
    check_a11y(page, "beslut")
    page.get_by_label("Sammanträde").select_option(index=3)
    page.get_by_role("button", name="Registrera beslutet").click()
    expect(page.locator(".messages")).to_contain_text("lagd till handlingarna")
    check_a11y(page, "beslutad")
    assert FollowUpReport.objects.get().state == ReportState.DECIDED

    # Anyone may now read it and download the decided PDF.
    visitor = new_page()
    _report_page(visitor, live_server, "allmanheten")
    expect(visitor.locator(".comments")).to_have_count(0)
    visitor_link = visitor.locator("#dokument").get_by_role("link", name="Ladda ned")
    expect(visitor_link).to_be_visible(timeout=30_000)
    check_a11y(visitor, "allmanheten-pdf-klar")
    with visitor.expect_download() as download:
        visitor_link.click()
    assert open(download.value.path(), "rb").read(5) == b"%PDF-"
    expect(visitor.get_by_role("table", name="Sparade versioner")).to_contain_text(
        "Ja, fryst vid beslutet"
    )
