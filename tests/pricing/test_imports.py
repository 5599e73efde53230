"""Reading price files as Swedish offices write them, and rejecting every kind of bad input."""

import io
import os

import openpyxl
import pytest

from pricing.imports import (
    PriceLine,
    UploadRejected,
    check_json_lines,
    parse_price,
    read_price_file,
)
from tests.pricing.factories import HEADER, csv_bytes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("74750", "74750.00"),
        ("74 750", "74750.00"),
        ("74\u00a0750 kr", "74750.00"),
        ("74\u202f750,50 kr", "74750.50"),
        ("74.750", "74750.00"),
        ("1.234.567,5", "1234567.50"),
        ("1234.5", "1234.50"),
        ("2 850,00 SEK", "2850.00"),
        ("0", "0.00"),
        ("12,345", None),
        ("12.34.5", None),
        ("abc", None),
        ("1,2,3", None),
        ("", None),
    ],
)
def test_prices_are_read_as_swedish_offices_write_them(text, expected):
    assert parse_price(text) == expected


def _errors(data, region, filename="priser.csv"):
    with pytest.raises(UploadRejected) as caught:
        read_price_file(filename, data, region)
    return caught.value.errors


@pytest.mark.django_db
def test_a_semicolon_windows_1252_file_with_kr_and_spaces_is_read(dalarna):
    data = csv_bytes(
        "20;Falu lasarett;Kardiologi;Läkarbesök;LB-KARD;Läkarbesök, kardiologi;besök;2 850,00 kr;",
        encoding="cp1252",
    )
    lines, kind = read_price_file("priser.csv", data, dalarna)
    assert kind == "csv"
    assert lines[0].price == "2850.00"
    assert lines[0].category == "lakarbesok"
    assert lines[0].hospital == "Falu lasarett"


@pytest.mark.django_db
def test_a_comma_separated_utf8_file_with_bom_and_lower_case_headers_is_read(dalarna):
    data = (
        "\ufeffsjukhus,kategori,kod,benämning,enhet,pris\n"
        'Falu lasarett,DRG-poäng,DRG,DRG-poäng,poäng,"74.750"\n'
    ).encode()
    lines, _kind = read_price_file("priser.csv", data, dalarna)
    assert lines[0].price == "74750.00"
    assert lines[0].unit == "poang"


@pytest.mark.django_db
def test_every_bad_row_is_reported_with_row_column_value_and_message(dalarna):
    data = csv_bytes(
        ";Falu lasarett;;Läkarbesök;;Besök;besök;100;",  # code missing
        ";Falu lasarett;;Röntgen;X1;Besök;besök;100;",  # unknown category
        ";Falu lasarett;;Läkarbesök;X2;Besök;tunna;100;",  # unknown unit
        ";Falu lasarett;;Läkarbesök;X3;Besök;besök;-5;",  # negative
        ";Falu lasarett;;Läkarbesök;X4;Besök;besök;1,2,3;",  # not a number
        ";Falu lasarett;;Läkarbesök;X5;Besök;besök;20 000 000;",  # over the ceiling
        ";Falu lasarett;;Läkarbesök;X6;Besök;besök;100;",
        ";Falu lasarett;;Läkarbesök;X6;Besök igen;besök;120;",  # duplicate of the row above
        "03;Akademiska;;Läkarbesök;X7;Besök;besök;100;",  # another region
        ";Falu lasarett;;Läkarbesök;X8;Besök;besök;100,123;",  # three decimals
    )
    errors = _errors(data, dalarna)
    found = {(e.row, e.column) for e in errors}
    assert found == {
        (2, "Kod"),
        (3, "Kategori"),
        (4, "Enhet"),
        (5, "Pris (kr)"),
        (6, "Pris (kr)"),
        (7, "Pris (kr)"),
        (9, "Kod"),
        (10, "Region"),
        (11, "Pris (kr)"),
    }
    by_row = {e.row: e for e in errors}
    assert by_row[3].value == "Röntgen"
    assert "Okänd kategori" in by_row[3].message
    assert by_row[5].message == "Priset får inte vara negativt."
    assert "rad 8" in by_row[9].message
    assert "Region Dalarna" in by_row[10].message


@pytest.mark.django_db
def test_a_missing_required_column_is_named(dalarna):
    data = "Sjukhus;Kategori;Kod;Benämning;Enhet\nFalu;DRG;DRG;DRG;poäng\n".encode()
    [error] = _errors(data, dalarna)
    assert error.row == 1
    assert error.column == "Pris (kr)"


@pytest.mark.django_db
def test_an_empty_file_is_refused(dalarna):
    assert _errors(b"", dalarna)[0].message == "Filen är tom."
    assert "inga prisrader" in _errors(csv_bytes(), dalarna)[0].message


@pytest.mark.django_db
def test_ten_megabytes_of_garbage_are_refused_as_neither_csv_nor_xlsx(dalarna):
    garbage = os.urandom(10 * 1024 * 1024)
    [error] = _errors(garbage, dalarna, "priser.csv")
    assert "varken" in error.message or "kunde inte läsas" in error.message


@pytest.mark.django_db
def test_a_file_over_ten_megabytes_is_refused(dalarna):
    data = csv_bytes() + b"x" * (10 * 1024 * 1024)
    assert _errors(data, dalarna)[0].message == "Filen är större än 10 MB."


@pytest.mark.django_db
def test_a_pdf_or_old_xls_is_refused_by_its_content_whatever_its_name(dalarna):
    assert "varken" in _errors(b"%PDF-1.7\n...", dalarna, "priser.xlsx")[0].message
    assert ".xls" in _errors(b"\xd0\xcf\x11\xe0" + b"\x00" * 100, dalarna, "p.xls")[0].message
    assert "zip" in _errors(_zip_without_workbook(), dalarna, "p.xlsx")[0].message


def _zip_without_workbook():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hej")
    return buffer.getvalue()


def _xlsx(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(";"))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_an_xlsx_with_numbers_is_read(dalarna):
    data = _xlsx(
        [
            [
                20,
                "Falu lasarett",
                "Kardiologi",
                "Läkarbesök",
                "LB-KARD",
                "Besök",
                "besök",
                2850.5,
                None,
            ]
        ]
    )
    lines, kind = read_price_file("priser.xlsx", data, dalarna)
    assert kind == "xlsx"
    assert lines[0].price == "2850.50"


@pytest.mark.django_db
def test_a_spreadsheet_with_formulas_is_refused_cell_by_cell(dalarna):
    data = _xlsx(
        [[None, "Falu lasarett", "", "Läkarbesök", "LB-1", "Besök", "besök", "=100*1.03", None]]
    )
    [error] = _errors(data, dalarna, "priser.xlsx")
    assert (error.row, error.column, error.value) == (2, "Pris (kr)", "=100*1.03")
    assert "formel" in error.message


@pytest.mark.django_db
def test_a_decimal_point_number_in_xlsx_is_not_taken_for_thousands(dalarna):
    data = _xlsx([[None, "Falu lasarett", "", "Analys", "NPU1", "Analys", "analys", 12.345, None]])
    [error] = _errors(data, dalarna, "priser.xlsx")
    assert error.column == "Pris (kr)"


@pytest.mark.django_db
def test_the_api_json_is_checked_like_a_file_with_json_names(dalarna):
    with pytest.raises(UploadRejected) as caught:
        check_json_lines(
            {
                "lines": [
                    {
                        "hospital": "Falu lasarett",
                        "category": "drg",
                        "code": "DRG",
                        "description": "DRG-poäng",
                        "unit": "poang",
                        "price": -1,
                    }
                ]
            },
            dalarna,
        )
    [error] = caught.value.errors
    assert (error.row, error.column) == (1, "price")


@pytest.mark.django_db
def test_a_blank_row_in_the_middle_does_not_shift_the_row_numbers_of_later_errors(dalarna):
    data = csv_bytes(
        ";Falu lasarett;;Läkarbesök;X1;Besök;besök;100;",
        ";;;;;;;;",
        "",
        ";Falu lasarett;;Röntgen;X2;Besök;besök;100;",
    )
    [error] = _errors(data, dalarna)
    assert (error.row, error.column, error.value) == (5, "Kategori", "Röntgen")


@pytest.mark.django_db
@pytest.mark.parametrize("price", ["²", "١٢٣", "12,٣"])
def test_digits_postgresql_cannot_read_are_not_a_price(dalarna, price):
    data = csv_bytes(f";Falu lasarett;;Läkarbesök;X1;Besök;besök;{price};")
    [error] = _errors(data, dalarna)
    assert (error.row, error.column, error.value) == (2, "Pris (kr)", price)


@pytest.mark.django_db
def test_a_clean_file_gives_price_lines_with_normalised_prices(dalarna):
    data = csv_bytes(
        ";Falu lasarett;;Läkarbesök;X1;Besök;besök;74 750 kr;",
        ";Falu lasarett;;Läkarbesök;X2;Besök;besök;2 850,5;",
        ";Falu lasarett;;Läkarbesök;X3;Besök;besök;12 SEK;",
    )
    lines, _kind = read_price_file("priser.csv", data, dalarna)
    assert all(isinstance(line, PriceLine) for line in lines)
    assert [line.price for line in lines] == ["74750.00", "2850.50", "12.00"]
    assert lines[0].key == ("Falu lasarett", "X1", "besok")


@pytest.mark.django_db
def test_past_five_hundred_errors_the_report_stops_after_the_row_that_reached_them(dalarna):
    data = csv_bytes(*[f";Falu lasarett;;Röntgen;X{i};Besök;tunna;100;" for i in range(400)])
    errors = _errors(data, dalarna)
    assert len(errors) == 501
    assert errors[-2].row == 251 and errors[-2].column == "Enhet"
    assert errors[-1].row is None and "Fler än 500 fel" in errors[-1].message
