"""Price lines as OpenDocument (.ods): exported, uploaded back unchanged, hostile files refused."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.tabular import read_table
from pricing import imports, services
from pricing.models import PriceItem, PriceSubmission
from tests import ods
from tests.pricing.factories import HEADER, line

ODS_TYPE = "application/vnd.oasis.opendocument.spreadsheet"


def _url(name, **kwargs):
    return reverse(f"pricing:{name}", kwargs={"hr": "mellansverige", **kwargs})


def _lines(price_list, region):
    return sorted(
        PriceItem.objects.filter(price_list=price_list, region=region).values_list(
            "hospital", "clinic", "category", "code", "description", "unit", "price", "note"
        )
    )


def _upload(client, data, name="priser.ods"):
    return client.post(
        _url("upload", year=2025, scb="20"), {"file": SimpleUploadedFile(name, data)}
    )


@pytest.mark.django_db
def test_the_list_exported_as_ods_and_uploaded_again_changes_nothing(
    client, open_list, dalarna, price_contact_dalarna
):
    services.price_lines_submit(
        actor=None,
        price_list=open_list,
        region=dalarna,
        lines=[
            line(price="2850.50", note="=1+1"),
            line(code="DRG-1", price="74750.00", description="Vårdtillfälle", unit="dygn"),
            line(code="X-3", price="1234.56", clinic="", note="Kväll  och helg"),
        ],
    )
    before = _lines(open_list, dalarna)
    client.force_login(price_contact_dalarna)
    export = client.get(_url("export", year=2025, fmt="ods"))
    assert export["Content-Type"] == ODS_TYPE
    assert export["Content-Disposition"].endswith('.ods"')

    response = _upload(client, export.content)
    assert response.status_code == 302, response.context and response.context.get("errors")
    submission = PriceSubmission.objects.get(
        price_list=open_list, status=PriceSubmission.Status.PENDING
    )
    [against_current] = client.get(response["Location"]).context["diffs"]
    assert (against_current.added, against_current.removed, against_current.changed) == (
        [],
        [],
        [],
    )
    assert client.post(response["Location"]).status_code == 302
    submission.refresh_from_db()
    assert submission.status == PriceSubmission.Status.CURRENT
    assert _lines(open_list, dalarna) == before


@pytest.mark.django_db
def test_the_ods_template_has_the_header_and_example_and_can_be_read(client, mellansverige):
    response = client.get(_url("template_ods"))
    assert response["Content-Type"] == ODS_TYPE
    table = imports.read_table("mall.ods", response.content)
    assert table.rows[table.header] == imports.TEMPLATE_COLUMNS
    assert table.rows[table.header + 1][3] == "Läkarbesök"
    assert (table.kind, table.sheet) == ("ods", "Prisrader")


@pytest.mark.django_db
def test_the_ods_template_filled_in_can_be_uploaded(client, open_list, price_contact_dalarna):
    data = ods.workbook(
        (
            "Prisrader",
            [
                HEADER.split(";"),
                [
                    "20",
                    "Falu lasarett",
                    "",
                    "Läkarbesök",
                    "LB-KARD",
                    "Läkarbesök, kardiologi",
                    "besök",
                    2850,
                    "",
                ],
            ],
        )
    )
    client.force_login(price_contact_dalarna)
    assert _upload(client, data).status_code == 302
    assert PriceSubmission.objects.filter(price_list=open_list).exists()


@pytest.mark.django_db
def test_an_ods_export_escapes_formulas(client, open_list, dalarna, kansli):
    services.price_lines_submit(
        actor=None,
        price_list=open_list,
        region=dalarna,
        lines=[line(description='=HYPERLINK("http://x")', note="@SUM(A1)")],
    )
    client.force_login(kansli)
    data = client.get(_url("export", year=2025, fmt="ods")).content
    table = read_table("x.ods", data, limits=imports.LIMITS, header_score=lambda r: 9, min_score=1)
    cells = {c for row in table.rows[1:] for c in row}
    assert {'\'=HYPERLINK("http://x")', "'@SUM(A1)"} <= cells
    assert b"table:formula" not in data


@pytest.mark.django_db
def test_a_formula_in_an_uploaded_ods_is_refused_like_one_in_an_xlsx(dalarna):
    formula = (
        '<table:table-cell table:formula="of:=2000+850" office:value-type="float" '
        'office:value="2850"><text:p>2850</text:p></table:table-cell>'
    )
    cells = "".join(
        ods.cell(v) for v in ["20", "Falu lasarett", "", "Läkarbesök", "LB", "Besök", "besök"]
    )
    xml = ods.table(
        "Blad1", ods.row(HEADER.split(";")) + f"<table:table-row>{cells}{formula}</table:table-row>"
    )
    with pytest.raises(imports.UploadRejected) as caught:
        imports.read_price_file("priser.ods", ods.ods(ods.content(xml)), dalarna)
    assert [e.row for e in caught.value.errors] == [2]
    assert "formel" in caught.value.errors[0].message.lower()


def _hostile():
    header = ods.row(HEADER.split(";"))
    price_row = ["20", "Falu lasarett", "", "Läkarbesök", "LB", "Besök", "besök", 100, ""]
    prolog = '<!DOCTYPE office:document-content [<!ENTITY a "aaaaaaaaaa">]>'
    return {
        "rader": ods.ods(ods.content(ods.table("P", header + ods.row(price_row, repeated=10**9)))),
        "celler": ods.ods(
            ods.content(
                ods.table(
                    "P",
                    header
                    + '<table:table-row><table:table-cell table:number-columns-repeated="99999999"'
                    ' office:value-type="string"><text:p>x</text:p></table:table-cell>'
                    "</table:table-row>",
                )
            )
        ),
        "DTD": ods.ods(ods.content(ods.sheet("P", [HEADER.split(";")]), prolog=prolog)),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("word", ["rader", "celler", "DTD"])
def test_a_hostile_ods_is_refused_quickly_with_a_swedish_message_and_nothing_stored(
    client, open_list, price_contact_dalarna, word
):
    client.force_login(price_contact_dalarna)
    started = time.perf_counter()
    response = _upload(client, _hostile()[word])
    assert time.perf_counter() - started < 5
    assert response.status_code == 200
    assert word in " ".join(e.message for e in response.context["errors"])
    assert not PriceSubmission.objects.exists() and not PriceItem.objects.exists()
