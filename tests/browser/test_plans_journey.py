"""The plan pages in a real browser: the kansli makes a new version of the decided
Aktivitetsplan 2023, works on it in place, sends it to beredning and records the
nämnd's decision; the public reads it and compares it with the version it replaced;
two editors of the same activity; the warning before leaving unsaved changes.

Every page visited is checked with axe (WCAG 2.1 A and AA) and photographed to
test-artifacts/screenshots/.
"""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from plans import services as plan_services
from plans.models import Activity, ActivityPlan, PlanState
from regions.models import RoleGroup
from tests.browser.conftest import check_a11y, login
from tests.conftest import PASSWORD, _user_with_role

PRODUCTION = "Utveckla och stärka produktionssamarbetet i sjukvårdsregionen"


@pytest.fixture
def plans_demo(demo_data):
    """The demo's plans: Mellansverige's decided verksamhetsplan and its decided
    Aktivitetsplan 2023, with the seed's 21 activities under five fokusområden."""
    call_command("loaddata", "knowledge.yaml", "plans.yaml", verbosity=0)
    return ActivityPlan.objects.get(healthcare_region__slug="mellansverige", year=2023)


@pytest.fixture
def next_version(plans_demo):
    """The kansli's draft of a new version of Aktivitetsplan 2023, as "Ny version" makes it."""
    return plan_services.plan_new_version(actor=None, plan=plans_demo)


@pytest.fixture
def second_kansli(mellansverige):
    return _user_with_role("kansli.tva", RoleGroup.Role.KANSLI, mellansverige)


def _flash(page: Page):
    # The plan page has a second status region: its PDF block, which htmx keeps current.
    return page.locator(".messages[role=status]")


def _production_activity(plan: ActivityPlan) -> Activity:
    return Activity.objects.get(title=PRODUCTION, focus_area__activity_plan=plan)


def _open_activity_plan(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Planering och uppföljning"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Planering och uppföljning")
    check_a11y(page, f"planering-{name}")
    page.get_by_role("link", name="Aktivitetsplan 2023").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aktivitetsplan 2023")
    check_a11y(page, f"aktivitetsplan-{name}")


def _open_edit_form(page: Page, activity: Activity):
    card = page.locator(f"#aktivitet-{activity.pk}")
    card.get_by_role("link", name=f"Ändra {activity.title}").click()
    description = card.get_by_label("Beskrivning")
    expect(description).to_be_visible()
    # plans.js moves the focus into the new form once htmx has settled it (20 ms after
    # the swap); typing before then loses the keys that land while the focus moves, as
    # a person could not. Wait for it, as a person would.
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.closest("
        "'form[data-unsaved-warning]')"
    )
    return card, description


def _focus_area_headings(page: Page) -> list[str]:
    return page.locator("#plan-items > section > h2").all_inner_texts()


def test_kansli_edits_reorders_and_decides_the_plan_and_the_public_reads_it(
    page, new_page, visit, live_server, plans_demo, kansli
):
    login(page, live_server, "kansli", PASSWORD)
    page.get_by_role("link", name="Sjukvårdsregion Mellansverige").first.click()
    check_a11y(page, "start")
    _open_activity_plan(page, "beslutad")
    expect(page.get_by_text("Beslutad 2022-12-09 § 61")).to_be_visible()

    # A decided plan is changed through a new version, a draft copy of it.
    page.get_by_role("button", name="Ny version").click()
    expect(_flash(page)).to_contain_text("Version 2 är skapad som utkast.")
    expect(page.locator(".facts .tag").first).to_have_text("Utkast")
    check_a11y(page, "utkast")
    draft = ActivityPlan.objects.get(previous_version=plans_demo)
    plan_url = page.url
    assert plan_url.endswith(draft.get_absolute_url())

    # Edit an activity in place: the form replaces the card, saving puts the card back.
    activity = _production_activity(draft)
    card, description = _open_edit_form(page, activity)
    check_a11y(page, "aktivitet-redigeras")
    description.fill("Planera produktionen gemensamt.\n\n- Uppföljning varje kvartal")
    card.get_by_role("button", name="Spara").click()
    expect(card.get_by_role("heading", level=3)).to_have_text(PRODUCTION)
    expect(card).to_contain_text("Uppföljning varje kvartal")
    expect(
        card.get_by_role("listitem").filter(has_text="Uppföljning varje kvartal")
    ).to_be_visible()
    assert page.url == plan_url
    check_a11y(page, "aktivitet-sparad")

    # Move the first fokusområde down with the keyboard alone.
    first = "Verksamhet och utveckling"
    assert _focus_area_headings(page)[:2] == [first, "Kunskapsstyrning"]
    page.get_by_role("link", name=f"Byt namn på {first}").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name=f"Flytta upp {first}")).to_be_focused()
    page.keyboard.press("Tab")
    move_down = page.get_by_role("button", name=f"Flytta ned {first}")
    expect(move_down).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#plan-items > section > h2").nth(1)).to_have_text(first)
    assert _focus_area_headings(page)[:2] == ["Kunskapsstyrning", first]
    # Focus stays on the button that was pressed, now in its new place (WCAG 2.4.3).
    expect(page.get_by_role("button", name=f"Flytta ned {first}")).to_be_focused()
    check_a11y(page, "fokusomrade-flyttat")

    # ... and an activity within its fokusområde, the same way.
    area = page.locator("#plan-items > section").filter(
        has=page.get_by_role("heading", name=first, level=2)
    )
    titles = area.locator("li.card > h3").all_inner_texts()
    area.get_by_role("button", name=f"Flytta ned {titles[0]}").focus()
    page.keyboard.press("Enter")
    expect(area.locator("li.card > h3").nth(1)).to_have_text(titles[0])
    assert area.locator("li.card > h3").all_inner_texts()[:2] == [titles[1], titles[0]]

    # Beredning, then the nämnd's decision at a meeting.
    page.get_by_role("button", name="Skicka till beredning").click()
    expect(_flash(page)).to_contain_text("Planen är skickad till beredning")
    expect(page.locator(".facts .tag").first).to_have_text("Under beredning")
    check_a11y(page, "beredning")
    page.get_by_role("link", name="Registrera nämndens beslut").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Registrera beslut om Aktivitetsplan 2023"
    )
    check_a11y(page, "beslut-formular")
    meeting = page.get_by_label("Sammanträde")
    meeting.select_option(meeting.locator("option", has_text="2024-03-15").get_attribute("value"))
    page.get_by_label("Paragraf (§)").fill("17")
    page.get_by_role("button", name="Registrera beslutet").click()
    expect(_flash(page)).to_contain_text("Beslutet § 17 är registrerat och planen är beslutad.")
    expect(page.get_by_text("Beslutad 2024-03-15 § 17")).to_be_visible()
    check_a11y(page, "beslutad")
    assert ActivityPlan.objects.get(pk=draft.pk).state == PlanState.DECIDED
    assert ActivityPlan.objects.get(pk=plans_demo.pk).state == PlanState.ARCHIVED

    # The public reads the decided plan, as the kansli left it, and cannot change it.
    visitor = new_page()
    path = draft.get_absolute_url()
    visit(visitor, path, "publik-aktivitetsplan")
    assert _focus_area_headings(visitor)[:2] == ["Kunskapsstyrning", first]
    expect(visitor.locator(f"#aktivitet-{activity.pk}")).to_contain_text(
        "Uppföljning varje kvartal"
    )
    expect(visitor.get_by_role("link", name=re.compile("^Ändra"))).to_have_count(0)
    expect(visitor.get_by_role("button", name=re.compile("^Flytta"))).to_have_count(0)
    visit(visitor, path, "publik-aktivitetsplan-igen")  # now from the cache
    expect(visitor.locator(f"#aktivitet-{activity.pk}")).to_contain_text(
        "Uppföljning varje kvartal"
    )

    # ... and compares it with the version it replaced, now archived.
    visitor.get_by_role("link", name="Jämför med föregående version").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Jämför versioner")
    expect(visitor.locator("ins").filter(has_text="Uppföljning varje kvartal")).to_be_visible()
    check_a11y(visitor, "jamfor")
    visit(visitor, plans_demo.get_absolute_url(), "arkiverad-aktivitetsplan")
    expect(visitor.locator(".facts .tag").first).to_have_text("Arkiverad")


def test_the_second_of_two_editors_is_refused_and_sees_both_texts(
    new_page, live_server, next_version, kansli, second_kansli
):
    activity = _production_activity(next_version)
    first, second = new_page(), new_page()
    login(first, live_server, "kansli", PASSWORD)
    login(second, live_server, "kansli.tva", PASSWORD)
    for editor, name in ((first, "forsta"), (second, "andra")):
        editor.goto(live_server.url + next_version.get_absolute_url())
        check_a11y(editor, f"aktivitetsplan-{name}")
    first_card, first_text = _open_edit_form(first, activity)
    second_card, second_text = _open_edit_form(second, activity)

    first_text.fill("Den första redaktörens text.")
    first_card.get_by_role("button", name="Spara").click()
    expect(first_card).to_contain_text("Den första redaktörens text.")

    second_text.fill("Den andra redaktörens text.")
    second_card.get_by_role("button", name="Spara").click()
    alert = second_card.get_by_role("alert")
    expect(alert).to_contain_text("Någon annan har ändrat aktiviteten medan du redigerade.")
    expect(alert).to_be_focused()
    saved = second_card.get_by_role("region", name="Den senast sparade versionen")
    expect(saved).to_contain_text("Den första redaktörens text.")
    expect(second_card.get_by_label("Beskrivning")).to_have_value("Den andra redaktörens text.")
    check_a11y(second, "konflikt")
    activity.refresh_from_db()
    assert "Den första redaktörens text." in activity.description
    assert "andra" not in activity.description


def test_leaving_a_form_with_unsaved_changes_asks_first(page, live_server, next_version, kansli):
    login(page, live_server, "kansli", PASSWORD)
    page.goto(live_server.url + next_version.get_absolute_url())
    check_a11y(page, "aktivitetsplan")
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        if len(dialogs) == 1:
            dialog.dismiss()
        else:
            dialog.accept()

    page.on("dialog", answer)
    _card, description = _open_edit_form(page, _production_activity(next_version))
    description.press_sequentially(" Osparad ändring")
    home = page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Start")

    # The browser asks before leaving; answered "stay" (dismiss), it does not navigate.
    with page.expect_event("dialog"):
        home.click(no_wait_after=True)
    assert dialogs == ["beforeunload"]
    assert page.url.endswith(next_version.get_absolute_url())  # stayed: nothing lost

    home.click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Aktivitetsplan 2023")
    assert dialogs == ["beforeunload", "beforeunload"]
    check_a11y(page, "lamnad")
    # A form that was saved does not ask.
    page.goto(live_server.url + next_version.get_absolute_url())
    check_a11y(page, "aktivitetsplan-igen")
    card, description = _open_edit_form(page, _production_activity(next_version))
    description.press_sequentially(" Sparad")
    card.get_by_role("button", name="Spara").click()
    expect(card).to_contain_text("Sparad")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Start").click()
    check_a11y(page, "lamnad-efter-sparat")
    assert dialogs == ["beforeunload", "beforeunload"]
