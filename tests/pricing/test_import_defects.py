"""The bad inputs of issue 11: each was stored wrongly, held a worker, or gave a 500."""

import io
import time
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pricing.imports import UploadRejected, check_json_lines, read_price_file
from pricing.models import PriceItem, PriceSubmission
from tests.pricing.factories import HEADER, csv_bytes

COMMA_HEADER = HEADER.replace(";", ",")


def _errors(data, region, filename="priser.csv"):
    with pytest.raises(UploadRejected) as caught:
        read_price_file(filename, data, region)
    return caught.value.errors


def _workbook(*sheets):
    """An XLSX of sheets given as lists of rows (the first sheet first)."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for index, rows in enumerate(sheets):
        sheet = workbook.create_sheet(f"Blad{index + 1}")
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


PRICE_ROW = [
    20,
    "Falu lasarett",
    "Kardiologi",
    "Läkarbesök",
    "LB-KARD",
    "Besök",
    "besök",
    2850,
    "Ny",
]


# 2. Wrong prices stored without an error ---------------------------------------------


@pytest.mark.django_db
def test_an_unquoted_decimal_comma_in_a_comma_separated_file_is_refused_with_its_row(dalarna):
    data = (
        COMMA_HEADER + "\n"
        "20,Falu lasarett,Kardiologi,Läkarbesök,LB-1,Besök,besök,2850,Höjt\n"
        "20,Falu lasarett,Kardiologi,Läkarbesök,LB-2,Besök,besök,3 003,50,Nytt pris\n"
    ).encode()
    errors = _errors(data, dalarna)
    assert [e.row for e in errors] == [3]
    assert "10 fält" in errors[0].message and "9" in errors[0].message


@pytest.mark.django_db
def test_a_row_with_more_fields_than_the_header_is_refused_even_if_the_extra_one_is_empty(dalarna):
    data = csv_bytes(";Falu lasarett;;Läkarbesök;X1;Besök;besök;100;;")
    [error] = _errors(data, dalarna)
    assert error.row == 2


@pytest.mark.django_db
def test_a_quoted_decimal_comma_in_a_comma_separated_file_is_read(dalarna):
    data = (
        COMMA_HEADER + "\n"
        '20,Falu lasarett,Kardiologi,Läkarbesök,LB-2,Besök,besök,"3 003,50",Nytt pris\n'
    ).encode()
    [line], _kind = read_price_file("priser.csv", data, dalarna)
    assert (line.price, line.note) == ("3003.50", "Nytt pris")


# 3. Denial of service by small spreadsheets -------------------------------------------


def _bomb(member_size: int) -> bytes:
    """A valid-looking XLSX whose sheet is `member_size` bytes of empty rows, deflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        source = _workbook([HEADER.split(";")])
        with zipfile.ZipFile(io.BytesIO(source)) as original:
            for info in original.infolist():
                if info.filename != "xl/worksheets/sheet1.xml":
                    archive.writestr(info, original.read(info))
        head = (
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b"<sheetData>"
        )
        tail = b"</sheetData></worksheet>"
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(head)
            chunk = b"<row><c/></row>" * 65536
            left = member_size - len(head) - len(tail)
            while left > 0:
                sheet.write(chunk[:left])
                left -= len(chunk)
            sheet.write(tail)
    return buffer.getvalue()


@pytest.mark.django_db
def test_a_small_xlsx_that_unpacks_past_the_limit_is_refused_before_it_is_parsed(dalarna):
    data = _bomb(260 * 1024 * 1024)
    assert len(data) < 2 * 1024 * 1024
    started = time.perf_counter()
    [error] = _errors(data, dalarna, "priser.xlsx")
    assert time.perf_counter() - started < 5
    assert "packad" in error.message and "MB" in error.message


@pytest.mark.django_db
def test_an_xlsx_of_a_million_empty_rows_is_refused_by_its_row_count(dalarna):
    data = _bomb(16 * 1_000_000)
    [error] = _errors(data, dalarna, "priser.xlsx")
    assert "rader" in error.message


@pytest.mark.django_db
def test_a_zip_with_too_many_members_is_refused(dalarna):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for i in range(5000):
            archive.writestr(f"xl/media/{i}.txt", "")
    [error] = _errors(buffer.getvalue(), dalarna, "priser.xlsx")
    assert "5001 delar" in error.message


@pytest.mark.django_db
def test_the_price_upload_page_says_the_file_is_over_ten_megabytes_and_stores_nothing(
    client, open_list, price_contact_dalarna
):
    client.force_login(price_contact_dalarna)
    response = client.post(
        reverse("pricing:upload", kwargs={"hr": "mellansverige", "year": 2025, "scb": "20"}),
        {"file": SimpleUploadedFile("priser.csv", b"a" * 11 * 1024 * 1024)},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Filen är större än 10 MB." in page
    assert "Välj filen som ska laddas upp." not in page
    assert not PriceSubmission.objects.exists() and not PriceItem.objects.exists()


# 4. A 500 instead of a Swedish message -------------------------------------------------


@pytest.mark.django_db
def test_a_csv_with_carriage_return_only_line_endings_is_read(dalarna):
    data = csv_bytes(
        ";Falu lasarett;;Läkarbesök;X1;Besök;besök;100;",
        ";Falu lasarett;;Läkarbesök;X2;Besök;besök;200;",
    ).replace(b"\n", b"\r")
    lines, _kind = read_price_file("priser.csv", data, dalarna)
    assert [line.code for line in lines] == ["X1", "X2"]


@pytest.mark.django_db
def test_a_stray_quote_that_makes_a_field_longer_than_csv_allows_is_named(dalarna):
    rows = [
        f';Falu lasarett;;Läkarbesök;X{i};"Besök;besök;100;'
        if i == 3
        else f";Falu lasarett;;Läkarbesök;X{i};Besök;besök;100;"
        for i in range(4000)
    ]
    [error] = _errors(csv_bytes(*rows), dalarna)
    assert error.row == 5
    assert "citattecken" in error.message


@pytest.mark.django_db
def test_malformed_workbook_xml_is_refused_with_a_message(dalarna):
    source = _workbook([HEADER.split(";"), PRICE_ROW])
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as original, zipfile.ZipFile(buffer, "w") as archive:
        for info in original.infolist():
            data = original.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            archive.writestr(info, data)
    [error] = _errors(buffer.getvalue(), dalarna, "priser.xlsx")
    assert "trasig" in error.message or "kunde inte läsas" in error.message


@pytest.mark.django_db
def test_an_xml_entity_expansion_is_refused(dalarna):
    source = _workbook([HEADER.split(";"), PRICE_ROW])
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
        + b"".join(
            b'<!ENTITY %s "%s">' % (f"a{i + 1}".encode(), (b"&a%d;" % i if i else b"&a;") * 10)
            for i in range(8)
        )
        + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&a8;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as original, zipfile.ZipFile(buffer, "w") as archive:
        for info in original.infolist():
            archive.writestr(
                info, bomb if info.filename == "xl/worksheets/sheet1.xml" else original.read(info)
            )
    [error] = _errors(buffer.getvalue(), dalarna, "priser.xlsx")
    assert "DTD" in error.message


@pytest.mark.django_db
def test_a_nul_byte_after_the_first_four_kilobytes_is_refused_at_upload_with_its_row(dalarna):
    rows = [f";Falu lasarett;;Läkarbesök;X{i};Besök;besök;100;" for i in range(200)]
    rows[150] = ";Falu lasarett;;Läkarbesök;X150;Be\x00sök;besök;100;"
    [error] = _errors(csv_bytes(*rows), dalarna)
    assert (error.row, error.column) == (152, "Benämning")
    assert "NUL" in error.message


@pytest.mark.django_db
def test_a_nul_character_in_an_api_text_is_refused(dalarna):
    with pytest.raises(UploadRejected) as caught:
        check_json_lines(
            {
                "lines": [
                    {
                        "hospital": "Falu lasarett",
                        "category": "drg",
                        "code": "DRG",
                        "description": "DRG\u0000poäng",
                        "unit": "poang",
                        "price": 100,
                    }
                ]
            },
            dalarna,
        )
    [error] = caught.value.errors
    assert (error.row, error.column) == (1, "description")
    assert "NUL" in error.message


# 8. Messages that mislead ---------------------------------------------------------------


@pytest.mark.django_db
def test_title_rows_above_the_header_are_skipped_and_rows_keep_their_numbers(dalarna):
    data = _workbook(
        [
            ["Prislista 2025"],
            ["Region Dalarna"],
            [],
            HEADER.split(";"),
            PRICE_ROW,
            [*PRICE_ROW[:4], "X2", "Besök", "tunna", 100, None],
        ]
    )
    [error] = _errors(data, dalarna, "priser.xlsx")
    assert (error.row, error.column) == (6, "Enhet")


@pytest.mark.django_db
def test_price_rows_on_the_second_sheet_are_found(dalarna):
    data = _workbook([["Instruktioner: fyll i bladet Prisrader"]], [HEADER.split(";"), PRICE_ROW])
    [line], kind = read_price_file("priser.xlsx", data, dalarna)
    assert (kind, line.code, line.price) == ("xlsx", "LB-KARD", "2850.00")


@pytest.mark.django_db
def test_a_file_without_a_header_row_says_where_the_header_must_be(dalarna):
    data = csv_bytes(";Falu lasarett;;Läkarbesök;X1;Besök;besök;100;", header="Prislista 2025")
    errors = _errors(data, dalarna)
    assert any("de första 20 raderna" in e.message for e in errors)


@pytest.mark.django_db
def test_excels_unicode_text_export_in_utf16_is_read(dalarna):
    text = (
        "\t".join(HEADER.split(";"))
        + "\r\n"
        + "20\tFalu lasarett\t\tLäkarbesök\tLB-1\tBesök\tbesök\t2 850,00\t\r\n"
    )
    data = b"\xff\xfe" + text.encode("utf-16-le")
    [line], _kind = read_price_file("priser.txt", data, dalarna)
    assert (line.code, line.price) == ("LB-1", "2850.00")
