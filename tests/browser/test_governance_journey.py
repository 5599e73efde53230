"""The governance pages in a real browser: meetings, decisions, members, history, public view.

Every page visited is checked with axe (WCAG 2.1 A and AA) and photographed to
test-artifacts/screenshots/.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from regions import services
from regions.models import RoleGroup
from tests.browser.conftest import DESKTOP, PHONE, check_a11y, login
from tests.conftest import PASSWORD

# The demo fixtures' Mellansverige Samverkansnämnden: members in seven regions and a
# rotation of chair and secretary.
BOARD_PATH = "/mellansverige/organ/1/"


def _meeting_date() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=30)


def _create_meeting(page: Page, *, date: datetime.date, place: str, title: str) -> str:
    """As a logged-in kansli user of Mellansverige: create a meeting; returns its path."""
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Samverkansnämnden"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Samverkansnämnden")
    check_a11y(page, "sammantraden")
    page.get_by_role("link", name="Nytt sammanträde").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nytt sammanträde")
    check_a11y(page, "nytt-sammantrade")
    expect(page.get_by_label("Organ")).to_have_value(re.compile(r"\d+"))
    page.get_by_label("Datum").fill(date.isoformat())
    page.get_by_label("Plats").fill(place)
    page.get_by_label("Rubrik").fill(title)
    page.get_by_role("button", name="Skapa sammanträdet").click()
    expect(page.get_by_role("status")).to_contain_text("Sammanträdet har skapats.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{title} {date.isoformat()}")
    check_a11y(page, "sammantrade-skapat")
    return re.sub(r"^https?://[^/]+", "", page.url)


def test_kansli_creates_a_meeting_with_an_agenda_item_and_a_decision(
    page, live_server, mellansverige, kansli
):
    date = _meeting_date()
    login(page, live_server, "kansli", PASSWORD)
    page.get_by_role("link", name="Sjukvårdsregion Mellansverige").first.click()
    check_a11y(page, "start-mellansverige")

    meeting_path = _create_meeting(page, date=date, place="Västerås", title="Decembersammanträdet")

    page.get_by_role("link", name="Nytt ärende").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nytt ärende")
    check_a11y(page, "nytt-arende")
    page.get_by_label("Ärende").fill("Aktivitetsplan 2027")
    page.get_by_label("Beskrivning").fill("Förslag från ledningsgruppen.")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_contain_text("Ärendet har sparats.")
    agenda = page.get_by_role("region", name="Ärenden")
    expect(agenda.get_by_role("listitem")).to_contain_text(["Aktivitetsplan 2027"])
    check_a11y(page, "arende-sparat")

    page.get_by_role("link", name="Nytt beslut").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nytt beslut")
    check_a11y(page, "nytt-beslut")
    page.get_by_label("Paragraf (§)").fill("71")
    page.get_by_label("Ärende").select_option(label="1. Aktivitetsplan 2027")
    page.get_by_label("Rubrik").fill("Aktivitetsplan 2027")
    page.get_by_label(re.compile(r"^Beslut\b")).fill(
        "Samverkansnämnden fastställer Aktivitetsplan 2027."
    )
    page.get_by_role("button", name="Spara beslutet").click()
    expect(page.get_by_role("status")).to_contain_text("Beslutet § 71 har sparats.")

    decision = page.get_by_role("article", name="§ 71 Aktivitetsplan 2027")
    expect(decision).to_contain_text("Samverkansnämnden fastställer Aktivitetsplan 2027.")
    expect(decision).to_contain_text("Ärende 1: Aktivitetsplan 2027")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("Västerås")
    expect(facts).to_contain_text("Ej publicerat")
    check_a11y(page, "sammantrade-med-beslut")

    page.get_by_role("link", name="Sammanträden", exact=True).click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=date.isoformat()))
    expect(row).to_contain_text("Decembersammanträdet")
    expect(row).to_contain_text("§ 71 Aktivitetsplan 2027")
    expect(row).to_contain_text("Ej publicerat")
    check_a11y(page, "sammantraden-med-nytt")
    row.get_by_role("link", name=date.isoformat()).click()
    assert page.url.endswith(meeting_path)
    check_a11y(page, "sammantrade-fran-listan")


def test_empty_meeting_form_shows_an_error_summary_whose_links_move_focus_to_the_fields(
    page, visit, live_server, mellansverige, kansli
):
    login(page, live_server, "kansli", PASSWORD)
    visit(page, "/mellansverige/sammantraden/nytt/", "nytt-sammantrade")
    page.get_by_label("Organ").select_option(value="")
    page.get_by_role("button", name="Skapa sammanträdet").click()

    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page).to_have_title("Fel: Nytt sammanträde – Samverkansportalen")
    expect(summary.get_by_role("heading")).to_have_text("Formuläret kunde inte sparas")
    date_link = summary.locator('a[href="#id_date"]')
    expect(date_link).to_contain_text("Datum")
    expect(summary.locator('a[href="#id_body"]')).to_be_visible()
    expect(page.locator("#id_date")).to_have_attribute("aria-invalid", "true")
    check_a11y(page, "nytt-sammantrade-fel")

    date_link.click()
    expect(page.locator("#id_date")).to_be_focused()
    expect(page.locator("label[for=id_date]")).to_be_in_viewport()
    summary.locator('a[href="#id_body"]').focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_body")).to_be_focused()


def test_error_summary_link_brings_the_field_with_its_label_and_error_into_view(
    new_page, visit, live_server, mellansverige, kansli
):
    page = new_page(viewport=PHONE)
    login(page, live_server, "kansli", PASSWORD)
    visit(page, f"{BOARD_PATH}uppdrag/nytt/", "nytt-uppdrag")
    page.get_by_role("button", name="Lägg till").click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(4)
    check_a11y(page, "nytt-uppdrag-fel")

    summary.get_by_role("link", name=re.compile("^Roll")).click()
    expect(page.locator("#id_role")).to_be_focused()
    expect(page.locator("label[for=id_role]")).to_be_in_viewport(ratio=1)
    expect(page.locator("#id_role_error1")).to_be_in_viewport(ratio=1)


def test_unpublished_meeting_is_hidden_from_sodra_and_the_public_until_the_minutes_are_published(
    page, new_page, visit, live_server, mellansverige, kansli, kansli_sodra
):
    date = _meeting_date()
    login(page, live_server, "kansli", PASSWORD)
    visit(page, "/mellansverige/", "start-mellansverige")
    meeting_path = _create_meeting(page, date=date, place="Falun", title="Extra sammanträde")

    sodra = new_page()
    login(sodra, live_server, "kansli.sodra", PASSWORD)
    visit(sodra, meeting_path, "sodra-404", status=404)
    expect(sodra.get_by_role("heading", level=1)).to_have_text("Sidan finns inte")

    anonymous = new_page()
    visit(anonymous, meeting_path, "anonym-404", status=404)
    expect(anonymous.get_by_role("heading", level=1)).to_have_text("Sidan finns inte")
    visit(anonymous, "/mellansverige/sammantraden/", "anonym-sammantraden")
    expect(anonymous.get_by_role("table")).to_be_visible()
    expect(anonymous.get_by_role("link", name=date.isoformat())).to_have_count(0)
    expect(anonymous.get_by_text("Extra sammanträde")).to_have_count(0)

    page.get_by_role("button", name="Publicera protokollet").click()
    expect(page.get_by_role("status")).to_contain_text("Protokollet är publicerat")
    expect(page.locator("dl.facts")).to_contain_text("Publicerat – en allmän handling")
    check_a11y(page, "publicerat")

    visit(anonymous, "/mellansverige/sammantraden/", "anonym-sammantraden-publicerat")
    anonymous.get_by_role("link", name=date.isoformat()).click()
    expect(anonymous.get_by_role("heading", level=1)).to_have_text(
        f"Extra sammanträde {date.isoformat()}"
    )
    expect(anonymous.get_by_role("button", name=re.compile("publicera", re.I))).to_have_count(0)
    check_a11y(anonymous, "anonym-sammantrade")


def test_anonymous_visitor_is_sent_to_the_login_page_from_the_new_meeting_form(
    page, visit, mellansverige
):
    visit(page, "/mellansverige/sammantraden/nytt/", "till-inloggning")
    assert "/konto/logga-in/?next=/mellansverige/sammantraden/nytt/" in page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")


@pytest.mark.parametrize("path", ["/", "/mellansverige/"])
def test_tab_first_focuses_the_skip_link_which_moves_focus_to_main(
    page, visit, path, mellansverige
):
    visit(page, path, "start")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Hoppa till innehållet")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    check_a11y(page, "hopplank-fokuserad")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    # The next Tab continues inside the main content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


@pytest.mark.parametrize(
    "path",
    [
        "/mellansverige/",
        "/",
        BOARD_PATH,
        "/mellansverige/sammantraden/",
        "/mellansverige/om/",
        "/mellansverige/sammantraden/1/",
    ],
)
def test_pages_fit_a_phone_screen_without_horizontal_scrolling(
    new_page, visit, path, mellansverige
):
    phone = new_page(viewport=PHONE)
    visit(phone, path, "telefon")
    scroll_width = phone.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"] + 1, f"{path} är {scroll_width} px bred"


def test_kansli_adds_a_membership_and_the_change_shows_in_the_history(
    page, visit, live_server, mellansverige, kansli
):
    login(page, live_server, "kansli", PASSWORD)
    visit(page, BOARD_PATH, "samverkansnamnden")
    expect(page.get_by_role("table", name="Förslag till rotation")).to_be_visible()
    page.get_by_role("link", name="Lägg till uppdrag").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nytt uppdrag i Samverkansnämnden")
    check_a11y(page, "nytt-uppdrag")

    page.get_by_label("Förnamn (ny person)").fill("Ingrid")
    page.get_by_label("Efternamn (ny person)").fill("Ersättarsson")
    page.get_by_label("Titel eller uppdrag (ny person)").fill("regionråd")
    page.get_by_label("Representerar").select_option(label="Region Dalarna")
    page.get_by_label("Roll").select_option(label="Ersättare")
    page.get_by_role("button", name="Lägg till").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Ingrid Ersättarsson har lagts till i Samverkansnämnden."
    )

    dalarna = page.locator(
        "xpath=//h3[normalize-space()='Region Dalarna']/following-sibling::dl[1]"
    )
    deputies = dalarna.locator("xpath=./dt[normalize-space()='Ersättare']/following-sibling::dd[1]")
    expect(deputies).to_contain_text("Ingrid Ersättarsson, regionråd")
    check_a11y(page, "uppdrag-tillagt")

    page.get_by_role("contentinfo").get_by_role("link", name="Historik").click()
    expect(page).to_have_url(f"{live_server.url}/mellansverige/historik/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Historik")
    # Both were written in one transaction, so they share a time and their order is not
    # defined: find each by what it says.
    rows = page.get_by_role("row")
    membership_row = rows.filter(has_text="Skapad: uppdrag Ingrid Ersättarsson, ersättare")
    person_row = rows.filter(has_text="Skapad: person Ingrid Ersättarsson")
    expect(membership_row.get_by_role("cell").nth(1)).to_have_text(str(kansli))
    expect(membership_row).to_contain_text("Region Dalarna")
    expect(person_row.get_by_role("cell").nth(1)).to_have_text(str(kansli))
    expect(person_row).to_contain_text("Skapad: person")
    expect(person_row).to_contain_text("Ingrid")
    expect(person_row).to_contain_text("Ersättarsson")
    check_a11y(page, "historik")


def test_history_names_a_new_person_by_their_name(page, visit, live_server, mellansverige, kansli):
    login(page, live_server, "kansli", PASSWORD)
    visit(page, f"{BOARD_PATH}uppdrag/nytt/", "nytt-uppdrag")
    page.get_by_label("Förnamn (ny person)").fill("Ingrid")
    page.get_by_label("Efternamn (ny person)").fill("Ersättarsson")
    page.get_by_label("Titel eller uppdrag (ny person)").fill("regionråd")
    page.get_by_label("Representerar").select_option(label="Region Dalarna")
    page.get_by_label("Roll").select_option(label="Ersättare")
    page.get_by_role("button", name="Lägg till").click()
    check_a11y(page, "uppdrag-tillagt")
    visit(page, "/mellansverige/historik/", "historik")
    person_row = page.get_by_role("row").filter(has_text="Skapad: person")
    expect(person_row.first.locator("strong")).to_have_text("Ingrid Ersättarsson", timeout=1000)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["dator", "telefon"])
def test_user_with_roles_in_two_healthcare_regions_switches_between_them(
    new_page, viewport, live_server, mellansverige, sodra, kansli
):
    services.role_grant(user=kansli, role=RoleGroup.Role.BOARD_MEMBER, scope=sodra)
    page = new_page(viewport=viewport)
    login(page, live_server, "kansli", PASSWORD)
    page.get_by_role("link", name="Sjukvårdsregion Mellansverige").first.click()
    check_a11y(page, "mellansverige")
    page.get_by_text("Byt sjukvårdsregion").click()
    switcher = page.get_by_role("group").filter(has_text="Byt sjukvårdsregion")
    expect(switcher.get_by_role("link")).to_have_text(
        ["Sjukvårdsregion Mellansverige", "Södra sjukvårdsregionen"]
    )
    expect(switcher.locator("[aria-current=true]")).to_have_css("font-weight", "700")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1
    check_a11y(page, "vaxlaren-oppen")
    switcher.get_by_role("link", name="Södra sjukvårdsregionen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Södra sjukvårdsregionen")
    check_a11y(page, "sodra")


def test_history_link_is_shown_only_to_those_who_may_read_the_history(
    page, visit, live_server, mellansverige, kansli_sodra
):
    login(page, live_server, "kansli.sodra", PASSWORD)
    visit(page, "/mellansverige/", "mellansverige")
    expect(page.get_by_role("contentinfo").get_by_role("link", name="Historik")).to_have_count(
        0, timeout=1000
    )


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/mellansverige/",
        "/mellansverige/om/",
        BOARD_PATH,
        "/mellansverige/organ/3/",
        "/mellansverige/sammantraden/",
        "/mellansverige/sammantraden/2/",
        "/mellansverige/planering/",
        "/mellansverige/kunskapsstyrning/",
        "/mellansverige/prislistor/",
        "/sodra/",
        "/tillganglighet/",
        "/konto/logga-in/",
        "/konto/glomt-losenord/",
    ],
)
def test_public_page_passes_axe(page, visit, path, mellansverige):
    visit(page, path, "sida")


def test_missing_page_is_the_404_page_and_passes_axe(page, visit, mellansverige):
    visit(page, "/mellansverige/sammantraden/99999/", "404", status=404)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sidan finns inte")


def test_accessibility_report_form_with_errors_passes_axe(page, visit, mellansverige):
    visit(page, "/tillganglighet/", "tillganglighet")
    page.get_by_role("button", name="Skicka rapporten").click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    check_a11y(page, "tillganglighet-fel")
