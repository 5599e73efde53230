"""The prislista in a real browser, with a real Celery worker compiling it.

Region Dalarna's price contact downloads the template, fills it in, uploads it with
two mistakes, reads the errors, corrects the file, previews the differences and
confirms; the kansli closes collection, compiles the list (the page shows the jobs
until the PDF, XLSX and CSV are there), downloads the PDF and records the nämnd's
decision; an anonymous visitor downloads the decided PDF and the open data.

Every page visited is checked with axe (WCAG 2.1 A and AA) and photographed to
test-artifacts/screenshots/.
"""

import datetime
import io
import re
import subprocess

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from pricing import services
from pricing.models import PriceList
from regions import services as region_services
from regions.models import Body, Region, RoleGroup
from tests.browser.conftest import check_a11y, login
from tests.conftest import PASSWORD, _user_with_role
from tests.pricing.factories import line

pytestmark = pytest.mark.django_db(transaction=True)

YEAR = 2027


@pytest.fixture
def setup(demo_data, mellansverige):
    kansli = _user_with_role("kansli", RoleGroup.Role.KANSLI, mellansverige)
    dalarna = Region.objects.get(scb_code="20")
    contact = _user_with_role("pris.dalarna", RoleGroup.Role.PRICE_CONTACT, dalarna)
    price_list = services.price_list_create(
        actor=kansli,
        healthcare_region=mellansverige,
        year=YEAR,
        deadline=datetime.date(YEAR - 1, 10, 31),
    )
    services.price_lines_submit(
        actor=None,
        price_list=price_list,
        region=Region.objects.get(scb_code="03"),
        lines=[
            line("Akademiska sjukhuset", code="LB-KARD", price="3100.00"),
            line(
                "Akademiska sjukhuset",
                code="DRG",
                category="drg",
                unit="poang",
                clinic="",
                description="Slutenvård, pris per DRG-poäng",
                price="77310.00",
            ),
        ],
    )
    board = Body.objects.get(healthcare_region=mellansverige, kind=Body.Kind.BOARD)
    meeting = region_services.meeting_create(
        actor=kansli,
        body=board,
        date=datetime.date(YEAR - 1, 12, 4),
        place="Västerås",
        title="Samverkansnämndens sammanträde",
    )
    decision = region_services.decision_create(
        actor=kansli,
        meeting=meeting,
        title=f"Sjukvårdsregional prislista {YEAR}",
        text="Samverkansnämnden fastställer prislistan.",
    )
    return kansli, contact, price_list, decision


def _fill(template: bytes, rows: list[list]) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    sheet = workbook["Prisrader"]
    sheet.delete_rows(2, sheet.max_row)  # the example line
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(page: Page, data: bytes, name: str) -> None:
    page.get_by_label("Fil med prisrader").set_input_files(
        files=[
            {
                "name": "priser-dalarna.xlsx",
                "buffer": data,
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        ]
    )
    page.get_by_role("button", name="Läs in och förhandsgranska").click()
    check_a11y(page, name)


def _download(page: Page, link) -> bytes:
    with page.expect_download() as download:
        link.click()
    return open(download.value.path(), "rb").read()


def test_a_price_contact_hands_in_and_the_kansli_publishes_the_prislista(
    page: Page, new_page, live_server, setup, celery_worker
):
    kansli, contact, price_list, decision = setup
    list_path = price_list.get_absolute_url()

    # The price contact finds the list and her region's upload page.
    login(page, live_server, contact.username, PASSWORD)
    page.goto(live_server.url + "/mellansverige/prislistor/")
    check_a11y(page, "prislistor")
    page.get_by_role("link", name=f"{YEAR}", exact=False).first.click()
    check_a11y(page, "prislista-insamling")
    page.get_by_role("link", name="Ladda upp").click()
    check_a11y(page, "ladda-upp")

    # She downloads the template: a header row and drop-down lists.
    template = _download(page, page.get_by_role("link", name="Ladda ned mallen (Excel)"))
    sheet = openpyxl.load_workbook(io.BytesIO(template))["Prisrader"]
    header = [cell.value for cell in sheet[1]]
    assert header[:2] == ["Region", "Sjukhus"] and "Pris (kr)" in header

    # A first try with a mistyped category and a negative price: every error, nothing kept.
    rows = [
        [
            "20",
            "Falu lasarett",
            "Kardiologi",
            "Läkarbesök",
            "LB-KARD",
            "Läkarbesök, kardiologi",
            "besök",
            "2 950,00",
            "",
        ],
        [
            "20",
            "Falu lasarett",
            "Ortopedi",
            "Läkarbesöket",
            "LB-ORT",
            "Läkarbesök, ortopedi",
            "besök",
            "2 640",
            "",
        ],
        ["20", "Falu lasarett", "", "Vårddygn", "VD-KIR", "Vårddygn, kirurgi", "dygn", "-10", ""],
    ]
    _upload(page, _fill(template, rows), "fel-i-filen")
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(page.get_by_role("table")).to_contain_text("Läkarbesöket")
    expect(page.get_by_role("table")).to_contain_text("-10")
    assert not price_list.items.filter(region__scb_code="20").exists()

    # Corrected, previewed and confirmed.
    rows[1][3], rows[2][7] = "Läkarbesök", "10 480"
    _upload(page, _fill(template, rows), "forhandsgranska")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Förhandsgranska inlämningen")
    expect(page.locator("dl.facts")).to_contain_text(re.compile(r"Antal prisrader\s*3\b"))
    page.get_by_role("button", name="Bekräfta inlämningen").click()
    check_a11y(page, "bekraftad")
    assert price_list.items.filter(region__scb_code="20").count() == 3

    # The kansli closes collection and compiles.
    kansli_page = new_page()
    login(kansli_page, live_server, kansli.username, PASSWORD)
    kansli_page.goto(live_server.url + list_path)
    check_a11y(kansli_page, "kansli-prislista")
    for state in ("Stängd", "Sammanställd"):
        kansli_page.get_by_label("Ny status").select_option(label=state)
        kansli_page.get_by_role("button", name="Ändra status").click()
        expect(kansli_page.locator(".messages")).to_contain_text("status är ändrad")
        check_a11y(kansli_page, f"status-{state.lower()}")
    documents = kansli_page.locator("#dokument")
    pdf_link = documents.get_by_role("link", name="Ladda ned prislista-mellansverige-2027.pdf")
    expect(pdf_link).to_be_visible(timeout=60_000)  # swapped in by the htmx poll
    expect(
        documents.get_by_role("link", name="Ladda ned prislista-mellansverige-2027.xlsx")
    ).to_be_visible(timeout=30_000)
    check_a11y(kansli_page, "sammanstalld")
    pdf = _download(kansli_page, pdf_link)
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "Region Dalarna" in text and "10 480,00" in text and "Utkast" in text

    # The nämnd's decision, recorded by the kansli.
    kansli_page.get_by_label("Ny status").select_option(label="Beslutad")
    kansli_page.get_by_label("Beslut", exact=True).select_option(label=str(decision))
    kansli_page.get_by_role("button", name="Ändra status").click()
    expect(kansli_page.locator(".messages")).to_contain_text("status är ändrad")
    check_a11y(kansli_page, "beslutad")
    assert PriceList.objects.get(pk=price_list.pk).state == PriceList.State.DECIDED

    # Anyone may now download the decided list and its open data.
    visitor = new_page()
    visitor.goto(live_server.url + list_path)
    visitor_pdf = visitor.locator("#dokument").get_by_role(
        "link", name="Ladda ned prislista-mellansverige-2027.pdf"
    )
    expect(visitor_pdf).to_be_visible(timeout=60_000)
    check_a11y(visitor, "allmanheten")
    decided = _download(visitor, visitor_pdf)
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=decided, capture_output=True, check=True
    ).stdout.decode()
    assert "Fastställd av Samverkansnämnden" in text and "Utkast" not in text
    expect(visitor.get_by_role("table", name="Sparade versioner: PDF")).to_contain_text(
        "Ja, fryst vid beslutet"
    )
    open_data = _download(visitor, visitor.get_by_role("link", name="CSV (semikolonseparerad)"))
    assert "LB-ORT" in open_data.decode("utf-8-sig")
