"""The pages: upload with errors, preview with differences, confirm; exports; comparison."""

import csv
import io
import json

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pricing import services, spreadsheets
from pricing.models import PriceItem, PriceSubmission
from tests.pricing.factories import csv_bytes, line

ROW = ";Falu lasarett;Kardiologi;Läkarbesök;LB-KARD;Läkarbesök, kardiologi;besök;{price};"


def _url(name, **kwargs):
    return reverse(f"pricing:{name}", kwargs={"hr": "mellansverige", **kwargs})


def _upload(client, data, name="priser.csv"):
    return client.post(
        _url("upload", year=2025, scb="20"), {"file": SimpleUploadedFile(name, data)}
    )


@pytest.mark.django_db
def test_price_contact_uploads_sees_errors_corrects_previews_and_confirms(
    client, decided_list, open_list, price_contact_dalarna
):
    client.force_login(price_contact_dalarna)
    response = _upload(client, csv_bytes(ROW.format(price="tusen")))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Filen lästes inte in: 1 fel" in page
    assert "tusen" in page
    assert response.context["errors"][0].row == 2
    assert not PriceSubmission.objects.filter(price_list=open_list).exists()

    response = _upload(client, csv_bytes(ROW.format(price="3 500 kr")))
    submission = PriceSubmission.objects.get(price_list=open_list)
    assert response.status_code == 302
    assert response["Location"] == _url("submission", year=2025, scb="20", pk=submission.pk)

    preview = client.get(response["Location"])
    [against_last_year] = preview.context["diffs"]
    [change] = against_last_year.changed
    assert (change.before, change.after, str(change.percent)) == (2500, 3500, "40.0")
    assert change.is_flagged
    assert [c.key[1] for c in against_last_year.removed] == ["DRG"]
    assert "Ändrad, över ±20 %" in preview.content.decode()
    assert not PriceItem.objects.filter(price_list=open_list).exists()

    response = client.post(response["Location"])
    assert response.status_code == 302
    assert PriceItem.objects.get(price_list=open_list).price == 3500


@pytest.mark.django_db
def test_a_file_over_ten_megabytes_is_refused_without_reading_it(
    client, open_list, price_contact_dalarna
):
    client.force_login(price_contact_dalarna)
    response = _upload(client, b"a" * (10 * 1024 * 1024 + 1))
    assert "Filen är större än 10 MB." in response.content.decode()
    assert not PriceSubmission.objects.exists()


@pytest.mark.django_db
def test_a_file_that_is_neither_csv_xlsx_nor_ods_gets_a_clear_message(
    client, open_list, price_contact_dalarna
):
    client.force_login(price_contact_dalarna)
    response = _upload(client, b"%PDF-1.4 ...", name="priser.pdf")
    assert (
        "varken en CSV-fil, en Excelfil (.xlsx) eller en OpenDocument-fil (.ods)"
        in response.content.decode()
    )


@pytest.mark.django_db
def test_the_template_has_a_header_an_example_and_drop_down_lists(client, mellansverige):
    response = client.get(_url("template"))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook["Prisrader"]
    assert [c.value for c in sheet[1]][:3] == ["Region", "Sjukhus", "Klinik/verksamhet"]
    assert sheet["D2"].value == "Läkarbesök"
    ranges = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert ranges["D2:D10000"].startswith("Listor!$A$1") or "Listor" in ranges["D2:D10000"]
    assert "Listor" in ranges["G2:G10000"]


@pytest.mark.django_db
def test_the_template_filled_in_can_be_uploaded(client, open_list, price_contact_dalarna):
    workbook = openpyxl.load_workbook(io.BytesIO(spreadsheets.template_xlsx()))
    workbook["Prisrader"]["I2"] = ""
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(price_contact_dalarna)
    response = _upload(client, buffer.getvalue(), name="mall.xlsx")
    assert response.status_code == 302


@pytest.mark.django_db
def test_exports_escape_cells_that_a_spreadsheet_would_run_as_formulas(
    client, open_list, dalarna, kansli
):
    services.price_lines_submit(
        actor=None,
        price_list=open_list,
        region=dalarna,
        lines=[
            line(description='=HYPERLINK("http://x")', note="@SUM(A1)"),
            line(code="+1", description="-2", note="\tx"),
        ],
    )
    client.force_login(kansli)
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(_url("export", year=2025, fmt="csv")).content.decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )
    cells = {cell for row in rows[1:] for cell in row}
    assert {'\'=HYPERLINK("http://x")', "'@SUM(A1)", "'+1", "'-2", "'\tx"} <= cells
    assert "2850,00" in cells
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(_url("export", year=2025, fmt="xlsx")).content)
    ).active
    values = {c.value for row in sheet.iter_rows(min_row=2) for c in row}
    assert '\'=HYPERLINK("http://x")' in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)


@pytest.mark.django_db
def test_a_decided_list_is_open_data_as_json(client, decided_list):
    response = client.get(_url("export", year=2024, fmt="json"))
    document = json.loads(response.content)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert document["ar"] == 2024
    assert document["beslut"]["rubrik"] == "Sjukvårdsregional prislista 2024"
    assert {r["pris"] for r in document["rader"]} == {"2500.00", "72000.00", "3100.00"}


@pytest.mark.django_db
def test_a_price_contact_exports_only_their_own_regions_draft(
    client, open_list, uppsala, dalarna, price_contact_dalarna
):
    services.price_lines_submit(actor=None, price_list=open_list, region=dalarna, lines=[line()])
    services.price_lines_submit(
        actor=None, price_list=open_list, region=uppsala, lines=[line("Akademiska sjukhuset")]
    )
    client.force_login(price_contact_dalarna)
    text = client.get(_url("export", year=2025, fmt="csv")).content.decode("utf-8-sig")
    assert "Falu lasarett" in text
    assert "Akademiska" not in text


@pytest.mark.django_db
def test_the_comparison_shows_the_same_prices_in_the_chart_and_the_table(
    client, decided_list, mellansverige, published_meeting, uppsala, dalarna
):
    new = services.price_list_uprate(actor=None, source=decided_list, percent=3)
    assert new.year == 2025
    page = client.get(_url("compare"), {"kod": "LB-KARD"}).content.decode()
    # Public visitors see only the decided list: 2024.
    assert "2\u00a0500\u00a0kr" in page
    response = client.get(_url("compare"), {"kod": "LB-KARD"})
    comparison = response.context["comparison"]
    chart = response.context["chart"]
    table_prices = sorted(p for _r, _h, prices in comparison.rows for p in prices if p)
    chart_prices = sorted(p.label for line_ in chart.lines for p in line_.points)
    assert [spreadsheets_kr(p) for p in table_prices] == chart_prices


@pytest.mark.django_db
def test_the_comparison_finds_a_code_whatever_its_case_through_an_index(
    decided_list, mellansverige, dalarna
):
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pricing import selectors

    # A list large enough that reading all of it would show: 3 000 lines of other codes.
    kept = [
        line(
            hospital,
            code=code,
            price=str(price),
            clinic=clinic,
            category=category,
            description=description,
            unit=unit,
            note=note,
        )
        for hospital, clinic, category, code, description, unit, price, note in PriceItem.objects.filter(
            price_list=decided_list, region=dalarna
        ).values_list(
            "hospital", "clinic", "category", "code", "description", "unit", "price", "note"
        )
    ]
    services.price_lines_submit(
        actor=None,
        price_list=decided_list,
        region=dalarna,
        lines=[*kept, *(line(code=f"X{i}") for i in range(3000))],
        allow_closed=True,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE pricing_priceitem")
    with CaptureQueriesContext(connection) as queries:
        comparison = selectors.code_comparison(AnonymousUser(), mellansverige, "lb-kard")
    assert comparison.years == [2024] and len(comparison.rows) == 2
    [lookup] = [q["sql"] for q in queries.captured_queries if "pricing_priceitem" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {lookup}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "priceitem_code_upper" in plan, plan


def spreadsheets_kr(value):
    from core.formatting import kronor

    return kronor(value)


@pytest.mark.django_db
def test_a_regions_change_between_two_years_is_shown_in_percent(client, decided_list, kansli):
    services.price_list_uprate(actor=None, source=decided_list, percent=10)
    client.force_login(kansli)
    response = client.get(_url("compare"), {"fran": 2024, "till": 2025})
    changes = {c.region.scb_code: c for c in response.context["changes"]}
    assert str(changes["20"].percent) == "10.00"
    assert changes["20"].matched == 2


@pytest.mark.django_db
def test_the_list_page_runs_a_constant_number_of_queries(
    client, open_list, dalarna, kansli, django_assert_max_num_queries
):
    client.force_login(kansli)
    services.price_lines_submit(
        actor=None,
        price_list=open_list,
        region=dalarna,
        lines=[line(code=f"K{i}") for i in range(5)],
    )
    client.get(_url("price_list", year=2025))  # the user's permissions into the cache
    with django_assert_max_num_queries(20) as small:
        client.get(_url("price_list", year=2025))
    services.price_lines_submit(
        actor=None,
        price_list=open_list,
        region=dalarna,
        lines=[line(code=f"K{i}") for i in range(150)],
    )
    with django_assert_max_num_queries(20) as large:
        client.get(_url("price_list", year=2025))
    assert len(small.captured_queries) == len(large.captured_queries)


@pytest.mark.django_db
def test_the_kansli_closes_collection_and_decides_the_list(
    client, open_list, kansli, published_meeting
):
    from tests.factories import DecisionFactory

    client.force_login(kansli)
    for state in ("stangd", "sammanstalld"):
        client.post(_url("transition", year=2025), {"state": state})
    decision = DecisionFactory(meeting=published_meeting)
    client.post(_url("transition", year=2025), {"state": "beslutad", "decision": decision.pk})
    open_list.refresh_from_db()
    assert (open_list.state, open_list.decision) == ("beslutad", decision)


@pytest.mark.django_db
def test_the_kansli_uprates_a_decided_list_from_the_page(client, decided_list, kansli):
    client.force_login(kansli)
    response = client.post(_url("uprate", year=2024), {"percent": "2,5", "rounding": "krona"})
    assert response.status_code == 302
    assert PriceItem.objects.get(price_list__year=2025, code="DRG").price == 73800
