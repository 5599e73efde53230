"""The kunskapsstyrning pages in a real browser: the kansli builds the structure, a group
lead edits their group's uppdrag, and an anonymous visitor browses and searches.

Every page visited is checked with axe (WCAG 2.1 A and AA) and photographed to
test-artifacts/screenshots/.
"""

import datetime
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from knowledge.models import GroupKind, GroupRole
from regions.models import Region, RoleGroup
from tests.browser.conftest import DESKTOP, PHONE, check_a11y, login
from tests.conftest import PASSWORD, _user_with_role
from tests.factories import PersonFactory
from tests.knowledge.factories import (
    GroupMembershipFactory,
    NationalProgramAreaFactory,
    RegionalGroupFactory,
)


@pytest.fixture
def knowledge_demo(demo_data):
    call_command("loaddata", "knowledge.yaml", verbosity=0)


@pytest.fixture
def led_group(mellansverige, group_lead):
    """A Mellansverige RSG whose processledare is the `group_lead` user (as in the demo)."""
    group = RegionalGroupFactory(
        healthcare_region=mellansverige,
        kind=GroupKind.COLLABORATION,
        name="Uppföljning och analys",
        mandate="<p>Stödja NPO.</p>",
    )
    GroupMembershipFactory(
        group=group,
        region=Region.objects.get(scb_code="03"),
        role=GroupRole.PROCESS_LEAD,
        person=PersonFactory(first_name="Greta", last_name="Provström", user=group_lead),
        starts_on=datetime.date(2020, 1, 1),
    )
    return group


@pytest.fixture
def other_group_lead(mellansverige):
    """The ordförande of another Mellansverige group, with the group lead role."""
    user = _user_with_role("gruppledare.annan", RoleGroup.Role.GROUP_LEAD, mellansverige)
    group = RegionalGroupFactory(
        healthcare_region=mellansverige,
        kind=GroupKind.COLLABORATION,
        name="Strukturerad vårdinformation",
    )
    GroupMembershipFactory(
        group=group,
        region=Region.objects.get(scb_code="20"),
        role=GroupRole.CHAIR,
        person=PersonFactory(last_name="Annansson", user=user),
        starts_on=datetime.date(2020, 1, 1),
    )
    return user


def test_kansli_adds_a_group_and_a_member_on_the_structure_and_group_pages(
    page, live_server, mellansverige, kansli
):
    login(page, live_server, "kansli", PASSWORD)
    page.get_by_role("link", name="Sjukvårdsregion Mellansverige").first.click()
    check_a11y(page, "mellansverige")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Kunskapsstyrning"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kunskapsstyrning")
    check_a11y(page, "struktur-tom")

    page.get_by_role("link", name="Ny grupp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny grupp")
    check_a11y(page, "ny-grupp")
    page.get_by_label("Typ").select_option(label="RSG – Regional samverkansgrupp")
    page.get_by_label("Namn").fill("Kvalitetsregister")
    page.get_by_label("Uppdrag").fill("<p>Samordna arbetet med kvalitetsregister.</p>")
    page.get_by_role("button", name="Skapa gruppen").click()
    expect(page.get_by_role("status")).to_contain_text("Gruppen Kvalitetsregister har skapats.")
    expect(page.get_by_role("heading", level=1)).to_have_text("RSG Kvalitetsregister")
    expect(page.get_by_role("region", name="Uppdrag")).to_contain_text(
        "Samordna arbetet med kvalitetsregister."
    )
    check_a11y(page, "grupp-skapad")

    page.get_by_role("link", name="Lägg till ledamot").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny ledamot i Kvalitetsregister")
    check_a11y(page, "ny-ledamot")
    page.get_by_label("Förnamn (ny person)").fill("Karin")
    page.get_by_label("Efternamn (ny person)").fill("Registersson")
    page.get_by_label("Titel eller uppdrag (ny person)").fill("registerhållare")
    page.get_by_label("Representerar").select_option(label="Region Uppsala")
    page.get_by_label("Roll").select_option(label="Ordförande")
    page.get_by_role("button", name="Lägg till").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Karin Registersson har lagts till i Kvalitetsregister."
    )
    expect(page.locator("dl.facts")).to_contain_text("Karin Registersson (Uppsala)")
    members = page.get_by_role("region", name="Ledamöter")
    expect(members.get_by_role("heading", level=3)).to_have_text(["Region Uppsala"])
    expect(members.get_by_role("listitem")).to_contain_text(
        ["Karin Registersson, registerhållare – ordförande"]
    )
    check_a11y(page, "ledamot-tillagd")

    page.get_by_role("link", name="Kunskapsstyrning", exact=True).first.click()
    tree = page.get_by_role("region", name="Struktur")
    expect(tree.get_by_role("link", name="RSG Kvalitetsregister")).to_be_visible()
    check_a11y(page, "struktur-med-grupp")


def test_group_lead_edits_the_uppdrag_of_their_group(page, live_server, led_group, group_lead):
    login(page, live_server, "gruppledare", PASSWORD)
    page.goto(f"{live_server.url}{led_group.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text("RSG Uppföljning och analys")
    expect(page.get_by_role("link", name="Ändra gruppen")).to_have_count(0)
    check_a11y(page, "grupp")

    page.get_by_role("link", name="Ändra uppdraget").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uppdrag för Uppföljning och analys")
    check_a11y(page, "uppdrag-form")
    mandate = page.get_by_label("Uppdrag")
    expect(mandate).to_have_value("<p>Stödja NPO.</p>")
    mandate.fill("<p>Stödja NPO med <strong>uppföljning</strong>.</p><script>alert(1)</script>")
    page.get_by_role("button", name="Spara uppdraget").click()
    expect(page.get_by_role("status")).to_contain_text("Uppdraget har sparats.")
    region = page.get_by_role("region", name="Uppdrag")
    expect(region.locator("strong")).to_have_text("uppföljning")
    expect(region).to_contain_text("Stödja NPO med uppföljning.")
    check_a11y(page, "uppdrag-sparat")
    led_group.refresh_from_db()
    assert led_group.mandate == "<p>Stödja NPO med <strong>uppföljning</strong>.</p>"


def test_lead_of_another_group_gets_the_403_page_on_the_uppdrag_form(
    page, visit, live_server, led_group, other_group_lead
):
    login(page, live_server, "gruppledare.annan", PASSWORD)
    mandate_path = reverse(
        "knowledge:group_mandate", kwargs={"hr": "mellansverige", "pk": led_group.pk}
    )
    visit(page, mandate_path, "uppdrag-403", status=403)
    expect(page.get_by_role("heading", level=1)).to_have_text("Du saknar behörighet")
    visit(page, led_group.get_absolute_url(), "annans-grupp")
    expect(page.get_by_role("link", name="Ändra uppdraget")).to_have_count(0)


def test_anonymous_visitor_browses_the_structure_a_group_a_goal_and_searches(
    page, visit, live_server, knowledge_demo
):
    visit(page, "/sydostra/kunskapsstyrning/", "struktur")
    tree = page.get_by_role("region", name="Struktur")
    council = tree.get_by_role("listitem").filter(
        has=page.get_by_role("link", name="Kunskapsråd Kirurgi och cancer")
    )
    expect(council.get_by_role("link", name="RMPO Cancersjukdomar")).to_be_visible()
    expect(page.get_by_role("link", name="Ny grupp")).to_have_count(0)

    page.get_by_role("link", name="Nationella programområden och värdskap").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Nationella programområden och värdskap"
    )
    row = page.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Cancersjukdomar", exact=True)
    )
    expect(row.get_by_role("cell").first).not_to_be_empty()
    check_a11y(page, "nationellt")

    page.go_back()
    page.get_by_role("link", name="RMPO Cancersjukdomar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("RMPO Cancersjukdomar")
    expect(page.locator("dl.facts")).to_contain_text("Nationellt programområde Cancersjukdomar")
    expect(page.get_by_role("link", name="Ändra uppdraget")).to_have_count(0)
    check_a11y(page, "grupp")

    page.get_by_role("region", name="Mål").get_by_role(
        "link", name="Behandling inom fyra veckor"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Behandling inom fyra veckor")
    indicator = "Andel patienter som påbörjat behandling inom fyra veckor"
    chart = page.get_by_role("img", name=f"{indicator} per region och år")
    expect(chart).to_be_visible()
    assert chart.locator("polyline").count() >= 1
    table = page.get_by_role("table", name=re.compile(re.escape(indicator)))
    expect(table.get_by_role("columnheader", name="Målet nått senaste året?")).to_be_visible()
    assert table.get_by_role("row").count() > 1
    check_a11y(page, "mal")

    search = page.get_by_role("search", name="Sök")
    box = search.get_by_role("searchbox", name="Sök bland grupper, löften och mål")
    box.focus()
    page.keyboard.type("cancer")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sök")
    expect(page.get_by_role("search", name="Sök").get_by_role("searchbox")).to_have_value("cancer")
    results = page.get_by_role("region", name=re.compile("träff"))
    expect(results.get_by_role("link", name="Cancersjukdomar", exact=True)).to_be_visible()
    check_a11y(page, "sok-cancer")
    results.get_by_role("link", name="Cancersjukdomar", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("RMPO Cancersjukdomar")
    check_a11y(page, "traff")


def test_the_header_search_is_reached_by_keyboard_with_a_visible_focus(page, visit, mellansverige):
    visit(page, "/mellansverige/", "start")
    box = page.get_by_role("searchbox", name="Sök bland grupper, löften och mål")
    for _ in range(5):
        page.keyboard.press("Tab")
        if box.evaluate("element => element === document.activeElement"):
            break
    expect(box).to_be_focused()
    expect(box).to_have_css("box-shadow", re.compile(r"rgb\(255, 191, 71\)"))
    check_a11y(page, "sokruta-fokuserad")
    page.keyboard.press("Tab")
    button = page.get_by_role("search").get_by_role("button", name="Sök")
    expect(button).to_be_focused()
    expect(button).to_have_css("box-shadow", re.compile(r"rgb\(255, 191, 71\)"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sök")
    check_a11y(page, "sok-tom")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["dator", "telefon"])
@pytest.mark.parametrize(
    "path",
    [
        "/sydostra/kunskapsstyrning/",
        "/sydostra/kunskapsstyrning/grupper/3/",
        "/sydostra/kunskapsstyrning/mal/1/",
        "/sydostra/kunskapsstyrning/sok/?q=cancer",
        "/sydostra/kunskapsstyrning/nationellt/",
        "/sydostra/kunskapsstyrning/lofte-och-mal/",
        "/sydostra/kunskapsstyrning/kunskapsrad/2/",
    ],
)
def test_knowledge_pages_pass_axe_and_fit_the_screen(
    new_page, visit, viewport, path, knowledge_demo
):
    page = new_page(viewport=viewport)
    visit(page, path, "sida")
    expect(page.get_by_role("search", name="Sök")).to_be_visible()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= viewport["width"] + 1, f"{path} är {scroll_width} px bred"


def test_kansli_records_a_hosting_and_adds_a_goal_with_an_indicator(
    page, visit, live_server, mellansverige, kansli
):
    NationalProgramAreaFactory(name="Rörelseorganens sjukdomar")
    login(page, live_server, "kansli", PASSWORD)
    visit(page, "/mellansverige/kunskapsstyrning/", "struktur")
    page.get_by_role("link", name="Nytt värdskap").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nytt värdskap för Mellansverige")
    check_a11y(page, "nytt-vardskap")
    page.get_by_role("button", name="Spara värdskapet").click()
    expect(page.get_by_role("alert")).to_be_focused()
    check_a11y(page, "nytt-vardskap-fel")
    page.get_by_label("Nationellt programområde").select_option(label="Rörelseorganens sjukdomar")
    page.get_by_label("Från").fill("2024-01-01")
    page.get_by_role("button", name="Spara värdskapet").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Värdskapet för Rörelseorganens sjukdomar har sparats."
    )
    expect(
        page.get_by_role("region", name="Värdskap för nationella programområden")
    ).to_contain_text("Rörelseorganens sjukdomar sedan 2024-01-01")
    check_a11y(page, "vardskap-sparat")

    page.get_by_role("link", name="Löften och mål").click()
    check_a11y(page, "lofte-och-mal")
    page.get_by_role("link", name="Nytt mål").click()
    check_a11y(page, "nytt-mal")
    page.get_by_label(re.compile(r"^Mål( |$)")).fill("Kortare väntetider")
    page.get_by_role("button", name="Skapa målet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kortare väntetider")
    check_a11y(page, "mal-skapat")
    page.get_by_role("link", name="Ny indikator").click()
    check_a11y(page, "ny-indikator")
    page.get_by_label("Indikator").fill("Väntetid i dagar")
    page.get_by_label("Enhet").fill("dagar")
    page.get_by_label("Målvärde").fill("28,5")
    page.get_by_role("button", name="Lägg till indikatorn").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Indikatorn Väntetid i dagar har lagts till."
    )
    expect(page.get_by_role("heading", level=2, name="Väntetid i dagar")).to_be_visible()
    expect(page.get_by_text("Målvärde: 28,5 dagar")).to_be_visible()
    check_a11y(page, "indikator-tillagd")
