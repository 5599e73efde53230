"""OpenDocument spreadsheets (.ods) through the one upload reader: read exactly or refused."""

import io
import time
import zipfile
from decimal import Decimal

import pytest

from core.tabular import Limits, UploadRejected, ods_bytes, read_table
from tests import ods

LIMITS = Limits(
    max_bytes=10 * 1024 * 1024,
    max_rows=1_000,
    max_unpacked_bytes=20 * 1024 * 1024,
    max_xml_tags=200_000,
    max_columns=20,
)
HEADER = ["Region", "Pris", "Anmärkning"]


def _score(row):
    return sum(1 for cell in row if cell.strip() in HEADER)


def _read(data, limits=LIMITS, name="priser.ods"):
    return read_table(name, data, limits=limits, header_score=_score, min_score=2)


def _refused(data, limits=LIMITS):
    started = time.perf_counter()
    with pytest.raises(UploadRejected) as caught:
        _read(data, limits)
    assert time.perf_counter() - started < 5
    [error] = caught.value.errors
    return error.message


def test_an_ods_as_libreoffice_saves_it_is_read_with_exact_numbers_and_no_trailing_rows():
    data = ods.workbook(("Blad1", [HEADER, ["20", Decimal("2850.50"), "Höjt"], ["03", 74750, ""]]))
    table = _read(data)
    assert (table.kind, table.sheet, table.header) == ("ods", "Blad1", 0)
    assert table.rows == [HEADER, ["20", "2850,5", "Höjt"], ["03", "74750"]]


def test_ods_is_told_by_its_content_not_its_name():
    data = ods.workbook(("Blad1", [HEADER, ["20", 1, ""]]))
    assert _read(data, name="priser.csv").kind == "ods"


def test_a_price_is_read_from_office_value_not_from_the_shown_text():
    cell = (
        '<table:table-cell office:value-type="currency" office:currency="SEK" '
        'office:value="1234.567"><text:p>1 234,57 kr</text:p></table:table-cell>'
    )
    xml = ods.table(
        "Blad1", ods.row(HEADER) + f"<table:table-row>{ods.cell('20')}{cell}</table:table-row>"
    )
    assert _read(ods.ods(ods.content(xml))).rows[1] == ["20", "1234,567"]


def test_dates_spaces_line_breaks_and_comments_are_read_as_libreoffice_shows_them():
    cells = (
        '<table:table-cell office:value-type="date" office:date-value="2024-02-16T00:00:00">'
        "<text:p>16 feb. 2024</text:p></table:table-cell>"
        '<table:table-cell office:value-type="string"><text:p>Falu<text:s text:c="2"/>'
        "lasarett</text:p><text:p>rad<text:line-break/>två</text:p></table:table-cell>"
        '<table:table-cell office:value-type="string"><office:annotation><text:p>en kommentar'
        "</text:p></office:annotation><text:p><text:span>Ny</text:span>tt</text:p>"
        "</table:table-cell>"
    )
    xml = ods.table("Blad1", ods.row(HEADER) + f"<table:table-row>{cells}</table:table-row>")
    assert _read(ods.ods(ods.content(xml))).rows[1] == [
        "2024-02-16",
        "Falu  lasarett\nrad\ntvå",
        "Nytt",
    ]


def test_repeated_cells_and_rows_with_values_are_expanded_and_empty_ones_only_counted():
    rows = (
        ods.row(HEADER)
        + '<table:table-row table:number-rows-repeated="3"><table:table-cell/></table:table-row>'
        + '<table:table-row table:number-rows-repeated="2">'
        '<table:table-cell table:number-columns-repeated="2" office:value-type="string">'
        "<text:p>x</text:p></table:table-cell></table:table-row>"
    )
    table = _read(ods.ods(ods.content(ods.table("Blad1", rows))))
    assert table.rows == [HEADER, [], [], [], ["x", "x"], ["x", "x"]]


def test_the_header_is_found_under_title_rows_and_on_a_later_sheet():
    data = ods.workbook(
        ("Instruktioner", [["Fyll i prisraderna på nästa blad"]]),
        ("Prisrader", [["Prislista 2025"], [], HEADER, ["20", 100, ""]]),
    )
    table = _read(data)
    assert (table.sheet, table.header, table.rows[table.header + 1]) == (
        "Prisrader",
        2,
        ["20", "100"],
    )


def test_without_a_header_the_first_sheet_is_returned_whole():
    data = ods.workbook(("Ett", [["a"], ["b"]]), ("Två", [["c"]]))
    table = _read(data)
    assert (table.sheet, table.found_header, table.rows) == ("Ett", False, [["a"], ["b"]])


def test_formulas_are_read_as_their_text_when_the_reader_asks_for_it():
    formula = (
        '<table:table-cell table:formula="of:=[.B1]*2" office:value-type="float" '
        'office:value="4"><text:p>4</text:p></table:table-cell>'
    )
    xml = ods.table(
        "Blad1", ods.row(HEADER) + f"<table:table-row>{ods.cell('20')}{formula}</table:table-row>"
    )
    data = ods.ods(ods.content(xml))
    assert _read(data).rows[1] == ["20", "4"]
    as_text = Limits(**{**LIMITS.__dict__, "formulas_as_text": True})
    assert _read(data, as_text).rows[1] == ["20", "=[.B1]*2"]


def test_what_ods_bytes_writes_reads_back_unchanged_with_formulas_escaped():
    data = ods_bytes(
        [
            (
                "Prisrader",
                HEADER,
                [["20", Decimal("2850.50"), '=HYPERLINK("x")'], ["03", Decimal("0.25"), "@A1"]],
            )
        ]
    )
    assert _read(data).rows == [
        HEADER,
        ["20", "2850,5", '\'=HYPERLINK("x")'],
        ["03", "0,25", "'@A1"],
    ]


# Hostile files ----------------------------------------------------------------------


def test_a_row_with_a_value_repeated_past_the_row_limit_is_refused():
    rows = ods.row(HEADER) + ods.row(["20", 1, "x"], repeated=1_000_000_000)
    assert "rader" in _refused(ods.ods(ods.content(ods.table("Blad1", rows))))


def test_a_cell_with_a_value_repeated_past_the_column_limit_is_refused():
    cells = (
        '<table:table-cell table:number-columns-repeated="1000000000" '
        'office:value-type="string"><text:p>x</text:p></table:table-cell>'
    )
    rows = ods.row(HEADER) + f"<table:table-row>{cells}</table:table-row>"
    assert "celler" in _refused(ods.ods(ods.content(ods.table("Blad1", rows))))


def test_a_million_empty_rows_between_rows_with_values_pass_the_row_limit():
    rows = (
        ods.row(HEADER)
        + '<table:table-row table:number-rows-repeated="1000000"><table:table-cell/></table:table-row>'
        + ods.row(["20", 1, ""])
    )
    assert "rader" in _refused(ods.ods(ods.content(ods.table("Blad1", rows))))


def test_content_xml_with_a_dtd_and_entities_is_refused():
    prolog = '<!DOCTYPE office:document-content [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
    data = ods.ods(ods.content(ods.sheet("Blad1", [HEADER, ["&b;"]]), prolog=prolog))
    message = _refused(data)
    assert "DTD" in message and "OpenDocument" in message


def test_an_ods_that_unpacks_past_the_limit_is_refused_before_it_is_parsed():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ods.MIMETYPE)
        with archive.open("content.xml", "w", force_zip64=True) as member:
            chunk = b" " * (1 << 20)
            for _ in range(60):
                member.write(chunk)
    data = buffer.getvalue()
    assert len(data) < 1024 * 1024
    message = _refused(data)
    assert "OpenDocument-filen" in message and "uppackad" in message


def test_an_ods_with_too_many_tags_is_refused_before_it_is_parsed():
    rows = ods.row(HEADER) + "<table:table-row><table:table-cell/></table:table-row>" * 200_000
    message = _refused(ods.ods(ods.content(ods.table("Blad1", rows))))
    assert "XML-taggar" in message


def test_an_opendocument_text_is_refused_as_not_a_spreadsheet():
    data = ods.ods(ods.content(), mimetype="application/vnd.oasis.opendocument.text")
    assert "inget kalkylblad" in _refused(data)


def test_a_damaged_content_xml_is_refused_with_a_message():
    xml = ods.content(ods.sheet("Blad1", [HEADER, ["20", 1, ""]]))
    message = _refused(ods.ods(xml[: len(xml) // 2]))
    assert "OpenDocument-filen" in message


def test_an_ods_without_content_xml_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", ods.MIMETYPE)
    assert "OpenDocument-filen kunde inte läsas" in _refused(buffer.getvalue())
