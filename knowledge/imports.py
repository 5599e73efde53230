"""Reading indicator values from an uploaded CSV or XLSX file.

Stage, then commit: every row is parsed and checked first, and every bad row is
reported with its row number, column, value and a Swedish message. The caller
writes nothing unless the list of errors is empty.
"""

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from core import tabular
from core.tabular import HEADER_SEARCH_ROWS, Limits, RowError, Table, UploadRejected
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


# An indicator has a value per region and year: 21 regions × a century of years is
# 2 100 rows, so 10 000 is never reached; three short columns unpack to about 1 kB a row.
LIMITS = Limits(
    max_bytes=MAX_BYTES,
    max_rows=MAX_ROWS,
    max_unpacked_bytes=20 * 1024 * 1024,
    max_xml_tags=2_000_000,
    max_columns=100,
)
_ALIASES = frozenset(alias for aliases in COLUMNS.values() for alias in aliases)


def _header_score(row: list[str]) -> int:
    return sum(1 for cell in row if cell.strip().lower() in _ALIASES)


def read_table(filename: str, data: bytes) -> Table:
    """The file's rows as text cells; refuses unknown types and oversize files."""
    name = filename.lower()
    if len(data) > MAX_BYTES:
        raise UploadRejected([RowError(None, "", filename, _("Filen är större än 2 MB."))])
    if name.endswith(".xlsx") and not data.startswith(b"PK"):
        raise UploadRejected(
            [RowError(None, "", filename, _("Filen är inte en Excelfil (.xlsx)."))]
        )
    if name.endswith(".ods") and not data.startswith(b"PK"):
        raise UploadRejected(
            [RowError(None, "", filename, _("Filen är inte en OpenDocument-fil (.ods)."))]
        )
    if name.endswith((".csv", ".txt")) and data.startswith(b"PK"):
        raise UploadRejected([RowError(None, "", filename, _("Filen är inte en textfil (CSV)."))])
    if not name.endswith((".xlsx", ".ods", ".csv", ".txt")):
        raise UploadRejected(
            [
                RowError(
                    None,
                    "",
                    filename,
                    _("Filtypen stöds inte. Ladda upp en CSV-, .xlsx- eller .ods-fil."),
                )
            ]
        )
    return tabular.read_table(
        filename, data, limits=LIMITS, header_score=_header_score, min_score=2
    )


def _parse_decimal(text: str) -> Decimal:
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", text).replace("−", "-")
    if "," in cleaned and "." in cleaned:
        raise InvalidOperation
    cleaned = cleaned.replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
        raise InvalidOperation
    return Decimal(cleaned)


def parse_values(table: Table, regions: list[Region]) -> list[ValueRow]:
    """Validate every row; raise UploadRejected with all errors, or return the rows."""
    first = table.header + 1
    numbered = [
        (number, row)
        for number, row in enumerate(table.rows[table.header :], first)
        if any((cell or "").strip() for cell in row)
    ]
    if not numbered:
        raise UploadRejected([RowError(None, "", "", _("Filen innehåller inga rader."))])
    header = [(cell or "").strip().lower() for cell in numbered[0][1]]
    positions = {}
    errors = []
    for key, aliases in COLUMNS.items():
        found = [i for i, name in enumerate(header) if name in aliases]
        if not found:
            errors.append(
                RowError(
                    numbered[0][0],
                    COLUMN_LABELS[key],
                    "",
                    _("Kolumnen ”%(col)s” saknas i rubrikraden.") % {"col": COLUMN_LABELS[key]},
                )
            )
        else:
            positions[key] = found[0]
    if errors:
        if not table.found_header:
            errors.append(
                RowError(
                    numbered[0][0],
                    "",
                    "",
                    _(
                        "Ingen rubrikrad hittades. Rubrikraden ska stå bland de första %(n)s raderna "
                        "(i något av bladen), med kolumnerna region, år och värde."
                    )
                    % {"n": HEADER_SEARCH_ROWS},
                )
            )
        raise UploadRejected(errors)
    body = numbered[1:]
    if not body:
        raise UploadRejected([RowError(None, "", "", _("Filen innehåller inga rader med värden."))])
    if len(body) > MAX_ROWS:
        raise UploadRejected(
            [
                RowError(
                    None, "", str(len(body)), _("Filen har fler än %(n)s rader.") % {"n": MAX_ROWS}
                )
            ]
        )
    by_code = {r.scb_code: r for r in regions}
    by_name = {}
    for r in regions:
        for name in (r.name, r.short_name):
            by_name[name.strip().lower()] = r
    seen: dict[tuple[int, int], int] = {}
    result = []
    for index, row in body:

        def cell(key, row=row):
            pos = positions[key]
            return (row[pos] if pos < len(row) else "").strip()

        region_text, year_text, value_text = cell("region"), cell("year"), cell("value")
        region = by_code.get(
            region_text.zfill(2) if region_text.isdigit() else region_text
        ) or by_name.get(region_text.lower())
        row_errors = []
        if not region_text:
            row_errors.append(RowError(index, "region", "", _("Ange region (länskod eller namn).")))
        elif region is None:
            row_errors.append(
                RowError(
                    index,
                    "region",
                    region_text,
                    _("Okänd region, eller en region som inte ingår i sjukvårdsregionen."),
                )
            )
        year = None
        if not re.fullmatch(r"\d{4}", year_text) or not 1990 <= int(year_text) <= 2100:
            row_errors.append(
                RowError(index, "år", year_text, _("Året ska vara ett årtal mellan 1990 och 2100."))
            )
        else:
            year = int(year_text)
        value = None
        try:
            value = _parse_decimal(value_text)
            if abs(value) >= Decimal("1e10"):
                raise InvalidOperation
        except InvalidOperation:
            row_errors.append(
                RowError(index, "värde", value_text, _("Värdet ska vara ett tal, t.ex. 72,5."))
            )
        if region is not None and year is not None:
            key = (region.pk, year)
            if key in seen:
                row_errors.append(
                    RowError(
                        index,
                        "region",
                        f"{region_text} {year_text}",
                        _("Samma region och år finns redan på rad %(row)s.") % {"row": seen[key]},
                    )
                )
            else:
                seen[key] = index
        if row_errors:
            errors.extend(row_errors)
        else:
            result.append(ValueRow(region=region, year=year, value=value.quantize(Decimal("0.01"))))
    if errors:
        raise UploadRejected(errors)
    return result
