"""Reading indicator values from an uploaded CSV or XLSX file.

Stage, then commit: every row is parsed and checked first, and every bad row is
reported with its row number, column, value and a Swedish message. The caller
writes nothing unless the list of errors is empty.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from knowledge.services import ValueRow
from regions.models import Region

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 10_000
COLUMNS = {
    "region": ("region", "länskod", "lanskod"),
    "year": ("år", "ar", "year"),
    "value": ("värde", "varde", "value"),
}
COLUMN_LABELS = {"region": "region", "year": "år", "value": "värde"}


@dataclass(frozen=True)
class RowError:
    row: int | None
    column: str
    value: str
    message: str


class UploadRejected(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(errors)
        self.errors = errors


def _decode(data: bytes) -> str:
    # Excel on Windows saves "CSV (semikolonavgränsad)" as cp1252, not UTF-8.
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UploadRejected([RowError(None, "", "", _("Filen kunde inte läsas som text (UTF-8)."))])


def _csv_rows(data: bytes) -> list[list[str]]:
    text = _decode(data)
    first = text.split("\n", 1)[0]
    # Swedish Excel writes semicolons, because the comma is the decimal separator.
    delimiter = ";" if ";" in first else ("\t" if "\t" in first else ",")
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise UploadRejected([RowError(None, "", "", _("Excelfilen kunde inte läsas."))]) from None
    sheet = workbook.worksheets[0]
    rows = []
    for values in sheet.iter_rows(values_only=True):
        rows.append(["" if v is None else _cell_text(v) for v in values])
    workbook.close()
    return rows


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float | int | Decimal):
        return str(value).replace(".", ",")
    return str(value)


def read_table(filename: str, data: bytes) -> list[list[str]]:
    """The file's rows as lists of text cells; refuses unknown types and oversize files."""
    name = filename.lower()
    if len(data) > MAX_BYTES:
        raise UploadRejected([RowError(None, "", filename, _("Filen är större än 2 MB."))])
    if name.endswith(".xlsx"):
        if not data.startswith(b"PK"):
            raise UploadRejected([RowError(None, "", filename, _("Filen är inte en Excelfil (.xlsx)."))])
        return _xlsx_rows(data)
    if name.endswith((".csv", ".txt")):
        if data.startswith(b"PK") or b"\x00" in data[:1024]:
            raise UploadRejected([RowError(None, "", filename, _("Filen är inte en textfil (CSV)."))])
        return _csv_rows(data)
    raise UploadRejected([RowError(None, "", filename,
                                   _("Filtypen stöds inte. Ladda upp en CSV- eller .xlsx-fil."))])


def _parse_decimal(text: str) -> Decimal:
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", text).replace("−", "-")
    if "," in cleaned and "." in cleaned:
        raise InvalidOperation
    cleaned = cleaned.replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
        raise InvalidOperation
    return Decimal(cleaned)


def parse_values(table: list[list[str]], regions: list[Region]) -> list[ValueRow]:
    """Validate every row; raise UploadRejected with all errors, or return the rows."""
    table = [row for row in table if any((cell or "").strip() for cell in row)]
    if not table:
        raise UploadRejected([RowError(None, "", "", _("Filen innehåller inga rader."))])
    header = [(cell or "").strip().lower() for cell in table[0]]
    positions = {}
    errors = []
    for key, aliases in COLUMNS.items():
        found = [i for i, name in enumerate(header) if name in aliases]
        if not found:
            errors.append(RowError(1, COLUMN_LABELS[key], "",
                                   _("Kolumnen ”%(col)s” saknas i rubrikraden.")
                                   % {"col": COLUMN_LABELS[key]}))
        else:
            positions[key] = found[0]
    if errors:
        raise UploadRejected(errors)
    body = table[1:]
    if not body:
        raise UploadRejected([RowError(None, "", "", _("Filen innehåller inga rader med värden."))])
    if len(body) > MAX_ROWS:
        raise UploadRejected([RowError(None, "", str(len(body)),
                                       _("Filen har fler än %(n)s rader.") % {"n": MAX_ROWS})])
    by_code = {r.scb_code: r for r in regions}
    by_name = {}
    for r in regions:
        for name in (r.name, r.short_name):
            by_name[name.strip().lower()] = r
    seen: dict[tuple[int, int], int] = {}
    result = []
    for index, row in enumerate(body, start=2):
        def cell(key, row=row):
            pos = positions[key]
            return (row[pos] if pos < len(row) else "").strip()

        region_text, year_text, value_text = cell("region"), cell("year"), cell("value")
        region = by_code.get(region_text.zfill(2) if region_text.isdigit() else region_text) \
            or by_name.get(region_text.lower())
        row_errors = []
        if not region_text:
            row_errors.append(RowError(index, "region", "", _("Ange region (länskod eller namn).")))
        elif region is None:
            row_errors.append(RowError(index, "region", region_text,
                                       _("Okänd region, eller en region som inte ingår i "
                                         "sjukvårdsregionen.")))
        year = None
        if not re.fullmatch(r"\d{4}", year_text) or not 1990 <= int(year_text) <= 2100:
            row_errors.append(RowError(index, "år", year_text,
                                       _("Året ska vara ett årtal mellan 1990 och 2100.")))
        else:
            year = int(year_text)
        value = None
        try:
            value = _parse_decimal(value_text)
            if abs(value) >= Decimal("1e10"):
                raise InvalidOperation
        except InvalidOperation:
            row_errors.append(RowError(index, "värde", value_text,
                                       _("Värdet ska vara ett tal, t.ex. 72,5.")))
        if region is not None and year is not None:
            key = (region.pk, year)
            if key in seen:
                row_errors.append(RowError(index, "region", f"{region_text} {year_text}",
                                           _("Samma region och år finns redan på rad %(row)s.")
                                           % {"row": seen[key]}))
            else:
                seen[key] = index
        if row_errors:
            errors.extend(row_errors)
        else:
            result.append(ValueRow(region=region, year=year, value=value.quantize(Decimal("0.01"))))
    if errors:
        raise UploadRejected(errors)
    return result
