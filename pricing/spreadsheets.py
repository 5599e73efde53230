"""The upload template and the exports of a price list: XLSX, ODS, CSV and JSON (open data).

Exports escape formulas: a spreadsheet program runs a cell that starts with
= + - @ (or a tab or carriage return), so such a text cell gets a leading apostrophe
and is shown as text. The columns are those of the upload, so a region can export
its lines, correct them and upload the file again.
"""

import csv
import io
import itertools
import json

import openpyxl
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from core.formatting import decimal_comma
from core.tabular import escape_formula, ods_bytes
from pricing.imports import CATEGORY_LABELS, TEMPLATE_COLUMNS, UNIT_LABELS
from pricing.models import Category, PriceList, Unit

CATEGORY_LABEL = dict(Category.choices)
UNIT_LABEL = dict(Unit.choices)


EXAMPLE_LINE = (
    "20",
    "Falu lasarett",
    "Kardiologi",
    str(Category.DOCTOR_VISIT.label),
    "LB-KARD",
    "Läkarbesök, kardiologi",
    str(Unit.VISIT.label),
    2850,
    "Exempelrad – ta bort",
)


def template_xlsx() -> bytes:
    """The upload template: header row, one example line, drop-down lists for kategori and enhet."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Prisrader"
    sheet.append(TEMPLATE_COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(list(EXAMPLE_LINE))
    lists = workbook.create_sheet("Listor")
    for row, label in enumerate(CATEGORY_LABELS, start=1):
        lists.cell(row=row, column=1, value=label)
    for row, label in enumerate(UNIT_LABELS, start=1):
        lists.cell(row=row, column=2, value=label)
    lists.sheet_state = "hidden"
    category = DataValidation(
        type="list",
        formula1=f"=Listor!$A$1:$A${len(CATEGORY_LABELS)}",
        allow_blank=False,
        showErrorMessage=True,
        errorTitle="Okänd kategori",
        error="Välj en kategori i listan.",
    )
    unit = DataValidation(
        type="list",
        formula1=f"=Listor!$B$1:$B${len(UNIT_LABELS)}",
        allow_blank=False,
        showErrorMessage=True,
        errorTitle="Okänd enhet",
        error="Välj en enhet i listan.",
    )
    price = DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2="9999999",
        showErrorMessage=True,
        errorTitle="Pris",
        error="Priset ska vara ett belopp i kronor, 0 eller mer.",
    )
    for validation, column in ((category, "D"), (unit, "G"), (price, "H")):
        sheet.add_data_validation(validation)
        validation.add(f"{column}2:{column}10000")
    for column, width in zip("ABCDEFGHI", (8, 30, 24, 24, 14, 40, 12, 12, 30), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_ods() -> bytes:
    """The upload template for LibreOffice: the XLSX one's header and example line.

    The lists of kategori and enhet are a second sheet to copy from: tablib writes no
    drop-down lists (content validations).
    """
    lists = [
        [category, unit]
        for category, unit in itertools.zip_longest(CATEGORY_LABELS, UNIT_LABELS, fillvalue="")
    ]
    return ods_bytes(
        [
            ("Prisrader", TEMPLATE_COLUMNS, [EXAMPLE_LINE]),
            ("Listor", [TEMPLATE_COLUMNS[3], TEMPLATE_COLUMNS[6]], lists),
        ]
    )


def _rows(items):
    for item in items:
        yield (
            item.region.scb_code,
            item.hospital,
            item.clinic,
            str(CATEGORY_LABEL.get(item.category, item.category)),
            item.code,
            item.description,
            str(UNIT_LABEL.get(item.unit, item.unit)),
            item.price,
            item.note,
        )


def export_csv(items) -> bytes:
    buffer = io.StringIO()
    # Semicolons and a BOM: what Excel with Swedish settings opens without asking.
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(TEMPLATE_COLUMNS)
    for row in _rows(items):
        writer.writerow(
            [escape_formula(v) if i != 7 else decimal_comma(v) for i, v in enumerate(row)]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_xlsx(price_list: PriceList, items) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title=f"Prislista {price_list.year}")
    sheet.append(TEMPLATE_COLUMNS)
    for row in _rows(items):
        sheet.append([escape_formula(v) if i != 7 else v for i, v in enumerate(row)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_ods(price_list: PriceList, items) -> bytes:
    return ods_bytes([(f"Prislista {price_list.year}", TEMPLATE_COLUMNS, _rows(items))])


def export_json(price_list: PriceList, items) -> bytes:
    """Open data: the list's metadata and its lines, prices as strings with two decimals."""
    decision = price_list.decision
    document = {
        "sjukvardsregion": price_list.healthcare_region.name,
        "ar": price_list.year,
        "status": price_list.state,
        "demosiffror": price_list.is_demo,
        "beslut": None
        if decision is None
        else {
            "paragraf": decision.paragraph,
            "rubrik": decision.title,
            "datum": decision.meeting.date.isoformat(),
        },
        "valuta": "SEK",
        "rader": [
            {
                "region": item.region.scb_code,
                "regionnamn": item.region.name,
                "sjukhus": item.hospital,
                "klinik": item.clinic,
                "kategori": item.category,
                "kod": item.code,
                "benamning": item.description,
                "enhet": item.unit,
                "pris": f"{item.price:.2f}",
                "anmarkning": item.note,
            }
            for item in items
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
