"""Reading a region's price lines from CSV, XLSX or the API's JSON.

Stage, then commit: every row is parsed and checked here first, every bad cell is
reported with row, column, value and a Swedish message, and the caller writes nothing
unless the list of errors is empty.

The files are what Swedish offices produce: Excel's "CSV (semikolonavgränsad)" in
Windows-1252, or UTF-8 with or without a BOM, comma or semicolon separated; prices
with a decimal comma, thousands grouped by a space, a no-break space or a dot, and a
trailing "kr"; column names in any case. The loop over rows is kept tight (dict
look-ups, no regular expression per cell) because a list can have 100 000 lines.
"""

import csv
import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.utils.translation import gettext as _

from pricing.models import PRICE_CEILING, Category, Unit
from regions.models import Region

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 200_000
MAX_ERRORS = 500  # enough to fix a file; a wholly wrong file should not make a 100 000-row page
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# field → (label shown in messages, accepted column names in lower case)
COLUMNS = {
    "region": (_("Region"), ("region", "länskod", "lanskod", "säljande region")),
    "hospital": (_("Sjukhus"), ("sjukhus", "sjukhusnamn")),
    "clinic": (_("Klinik/verksamhet"), ("klinik/verksamhet", "klinik", "verksamhet",
                                         "klinik eller verksamhet")),
    "category": (_("Kategori"), ("kategori", "priskategori", "typ")),
    "code": (_("Kod"), ("kod", "kvå", "kva", "drg", "kod (kvå/drg)", "analyskod")),
    "description": (_("Benämning"), ("benämning", "beskrivning", "text", "namn")),
    "unit": (_("Enhet"), ("enhet", "per")),
    "price": (_("Pris (kr)"), ("pris (kr)", "pris", "pris kr", "pris (sek)", "pris sek",
                               "belopp", "belopp (kr)")),
    "note": (_("Anmärkning"), ("anmärkning", "kommentar", "not", "notering")),
}
FIELDS = tuple(COLUMNS)
REQUIRED = ("hospital", "category", "code", "description", "unit", "price")
MAX_LENGTHS = {"hospital": 200, "clinic": 200, "code": 40, "description": 300, "note": 500}
TEMPLATE_COLUMNS = [str(COLUMNS[key][0]) for key in COLUMNS]


def _lookup(choices, extra: dict[str, str]) -> dict[str, str]:
    table = {}
    for value, label in choices.choices:
        table[value] = value
        table[str(label).lower()] = value
    table.update(extra)
    return table


CATEGORY_NAMES = _lookup(Category, {
    "drg": Category.DRG_POINT, "drg-poäng": Category.DRG_POINT, "poängpris": Category.DRG_POINT,
    "vårddygn": Category.BED_DAY, "vårddag": Category.BED_DAY, "vardygn": Category.BED_DAY,
    "läkarbesök": Category.DOCTOR_VISIT, "besök": Category.DOCTOR_VISIT,
    "sjukvårdande behandling": Category.TREATMENT, "behandling": Category.TREATMENT,
    "åtgärd": Category.PROCEDURE, "kvå": Category.PROCEDURE, "åtgärd (kvå)": Category.PROCEDURE,
    "analys": Category.ANALYSIS, "labanalys": Category.ANALYSIS,
    "tillägg": Category.SUPPLEMENT, "tillagg": Category.SUPPLEMENT,
})
UNIT_NAMES = _lookup(Unit, {
    "poäng": Unit.POINT, "drg-poäng": Unit.POINT, "per poäng": Unit.POINT,
    "dygn": Unit.DAY, "vårddygn": Unit.DAY, "per dygn": Unit.DAY,
    "besök": Unit.VISIT, "per besök": Unit.VISIT,
    "behandling": Unit.TREATMENT, "per behandling": Unit.TREATMENT,
    "åtgärd": Unit.PROCEDURE, "per åtgärd": Unit.PROCEDURE,
    "analys": Unit.ANALYSIS, "per analys": Unit.ANALYSIS,
    "st": Unit.PIECE, "st.": Unit.PIECE, "styck": Unit.PIECE, "per styck": Unit.PIECE,
    "tim": Unit.HOUR, "timme": Unit.HOUR, "per timme": Unit.HOUR,
})
CATEGORY_LABELS = [str(label) for _v, label in Category.choices]
UNIT_LABELS = [str(label) for _v, label in Unit.choices]


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


class PriceLine(NamedTuple):
    """A checked line, ready to be written; the price is the normalised text, e.g. '74750.00'."""

    hospital: str
    clinic: str
    category: str
    code: str
    description: str
    unit: str
    price: str
    note: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.hospital, self.code, self.unit)


def _reject(message: str, value: str = "") -> UploadRejected:
    return UploadRejected([RowError(None, "", value, message)])


# Reading files --------------------------------------------------------------------


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV (semikolonavgränsad)" as Windows-1252.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise _reject(_("Filen kunde inte läsas som text (UTF-8 eller Windows-1252).")) \
                from None


def csv_rows(data: bytes) -> list[list[str]]:
    text = _decode(data)
    first = text[: text.find("\n")] if "\n" in text else text
    # Swedish Excel writes semicolons, because the comma is the decimal separator.
    delimiter = ";" if first.count(";") >= first.count(",") and ";" in first else (
        "\t" if "\t" in first and "," not in first else ",")
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    # Numbers become text with a decimal comma, so that the price parser never
    # mistakes a decimal point for a thousands separator ('1234.567' is not 1 234 567).
    if isinstance(value, float):
        return repr(int(value)) if value.is_integer() else repr(value).replace(".", ",")
    if isinstance(value, int | Decimal):
        return str(value).replace(".", ",")
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value)


def xlsx_rows(data: bytes) -> list[list[str]]:
    """The first sheet's rows as text; a formula cell comes back as its '=…' text."""
    from openpyxl import load_workbook

    try:
        # Not data_only: a formula is reported as such rather than read as its cached
        # value (stale, or missing when the file was never opened in Excel).
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise _reject(_("Excelfilen kunde inte läsas. Spara den som .xlsx och försök igen.")) \
            from None
    try:
        sheet = workbook.worksheets[0]
        cell_text = _cell_text
        return [[cell_text(v) for v in values] for values in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def read_table(filename: str, data: bytes) -> tuple[list[list[str]], str]:
    """The file's rows as text cells and its kind ('csv' or 'xlsx'), told by its content.

    Refuses files over 10 MB and files that are neither CSV nor XLSX, whatever their name.
    """
    if len(data) > MAX_BYTES:
        raise _reject(_("Filen är större än 10 MB."), filename)
    if not data.strip():
        raise _reject(_("Filen är tom."), filename)
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            names = []
        if "xl/workbook.xml" not in names:
            raise _reject(_("Filen är en zip-fil men inte en Excelfil (.xlsx)."), filename)
        return xlsx_rows(data), "xlsx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _reject(_("Det gamla Excelformatet (.xls) stöds inte. Spara filen som .xlsx "
                        "eller CSV."), filename)
    if b"\x00" in data[:4096] or data.startswith(b"%PDF"):
        raise _reject(_("Filen är varken en CSV-fil eller en Excelfil (.xlsx)."), filename)
    return csv_rows(data), "csv"


# Checking rows --------------------------------------------------------------------


_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009\t")


def parse_price(text: str) -> str | None:
    """The price as plain decimal text ('74750.00'), or None if it is not a price.

    Accepts '74 750', '74 750,00 kr', '74.750', '1.234,50', '1234.5', '−' as minus.
    """
    t = text.translate(_SPACES)
    if t[-2:].lower() == "kr":
        t = t[:-2]
    elif t[-3:].lower() == "sek":
        t = t[:-3]
    t = t.replace("\u2212", "-")
    if "," in t:
        # Decimal comma; any dot is a thousands separator.
        whole, _sep, decimals = t.rpartition(",")
        if "," in whole:
            return None
        whole = whole.replace(".", "")
    elif "." in t:
        parts = t.split(".")
        if len(parts) > 2 or (len(parts) == 2 and len(parts[1]) == 3):
            # '74.750' or '1.234.567': dots group thousands.
            if any(len(p) != 3 for p in parts[1:]):
                return None
            whole, decimals = "".join(parts), ""
        else:
            whole, decimals = parts
    else:
        whole, decimals = t, ""
    if whole.startswith("-"):
        return "-" if whole[1:].isdigit() else None
    if not whole.isdigit() or (decimals and not decimals.isdigit()) or len(decimals) > 2:
        return None
    return f"{whole}.{decimals.ljust(2, '0')}"


def _header_positions(header: list[str]) -> tuple[dict[str, int], list[RowError]]:
    names = [h.strip().lower() for h in header]
    positions: dict[str, int] = {}
    errors = []
    for key, (label, aliases) in COLUMNS.items():
        found = [i for i, name in enumerate(names) if name in aliases]
        if found:
            positions[key] = found[0]
        elif key in REQUIRED:
            errors.append(RowError(1, str(label), "",
                                   _("Kolumnen ”%(col)s” saknas i rubrikraden.") % {"col": label}))
    return positions, errors


def _unescape(value: str) -> str:
    # Our own exports put an apostrophe before = + - @ so Excel shows text; undo it.
    if value[:1] == "'" and value[1:2] and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def region_matcher(region: Region):
    names = {region.scb_code, region.name.lower(), region.short_name.lower(),
             region.scb_code.lstrip("0")}
    return lambda text: text.lower() in names


def check_lines(table: list[list[str]], region: Region, *, first_row: int = 2,
                is_xlsx: bool = False) -> list[PriceLine]:
    """Validate every row of a table (header first); return the lines or raise all errors."""
    table = [row for row in table if any(cell.strip() for cell in row)]
    if not table:
        raise _reject(_("Filen innehåller inga rader."))
    positions, errors = _header_positions(table[0])
    if errors:
        raise UploadRejected(errors)
    body = table[1:]
    if not body:
        raise _reject(_("Filen har en rubrikrad men inga prisrader."))
    if len(body) > MAX_ROWS:
        raise _reject(_("Filen har fler än %(n)s rader.") % {"n": MAX_ROWS}, str(len(body)))
    records = []
    width = max(positions.values()) + 1
    items = list(positions.items())
    for row in body:
        if len(row) < width:
            row = row + [""] * (width - len(row))
        records.append({key: row[pos] for key, pos in items})
    return check_records(records, region, first_row=first_row, is_xlsx=is_xlsx)


def check_records(records: list[dict], region: Region, *, first_row: int = 2,
                  is_xlsx: bool = False, json_names: bool = False) -> list[PriceLine]:
    """Validate rows given as dicts (field → text); return lines or raise every error.

    `first_row` is the number the first record is reported as (2 under a header row;
    the API reports the index in its array, and names columns by their JSON keys).
    """
    errors: list[RowError] = []
    add = errors.append
    labels = {key: key if json_names else str(label) for key, (label, _a) in COLUMNS.items()}
    categories, units = CATEGORY_NAMES, UNIT_NAMES
    is_own_region = region_matcher(region)
    ceiling = PRICE_CEILING
    seen: dict[tuple[str, str, str], int] = {}
    lines = []
    msg_required = _("Uppgiften saknas.")
    msg_category = _("Okänd kategori. Använd en av: %(names)s.") % {
        "names": ", ".join(CATEGORY_LABELS)}
    msg_unit = _("Okänd enhet. Använd en av: %(names)s.") % {"names": ", ".join(UNIT_LABELS)}
    msg_price = _("Priset ska vara ett belopp i kronor, t.ex. 74 750 eller 1 234,50.")
    msg_negative = _("Priset får inte vara negativt.")
    msg_ceiling = _("Priset är orimligt högt (över 10 000 000 kr). Kontrollera decimaltecknet.")
    msg_region = _("Raden gäller en annan region än %(region)s, som du lämnar in för.") % {
        "region": region.name}
    msg_formula = _("Cellen innehåller en formel. Spara filen med värden i stället för formler.")
    msg_long = _("Texten är för lång (högst %(n)s tecken).")
    msg_duplicate = _("Samma sjukhus, kod och enhet finns redan på rad %(row)s.")
    for number, record in enumerate(records, start=first_row):
        row_ok = True
        values = {}
        formulas = ()
        for key in FIELDS:
            raw = record.get(key, "")
            value = raw.strip() if raw.__class__ is str else _cell_text(raw).strip()
            if value[:1] == "=" and is_xlsx:
                add(RowError(number, labels[key], value, msg_formula))
                formulas += (key,)
                row_ok = False
                value = ""
            elif value[:1] == "'":
                value = _unescape(value)
            values[key] = value
        for key in REQUIRED:
            if not values[key] and key not in formulas:
                add(RowError(number, labels[key], "", msg_required))
                row_ok = False
        for key, limit in MAX_LENGTHS.items():
            if len(values[key]) > limit:
                add(RowError(number, labels[key], values[key][:60] + "…", msg_long % {"n": limit}))
                row_ok = False
        category = categories.get(values["category"].lower())
        if values["category"] and category is None:
            add(RowError(number, labels["category"], values["category"], msg_category))
            row_ok = False
        unit = units.get(values["unit"].lower())
        if values["unit"] and unit is None:
            add(RowError(number, labels["unit"], values["unit"], msg_unit))
            row_ok = False
        price_text = values["price"]
        price = None
        if price_text:
            price = parse_price(price_text)
            if price is None:
                add(RowError(number, labels["price"], price_text, msg_price))
                row_ok = False
            elif price == "-" or price.startswith("-"):
                add(RowError(number, labels["price"], price_text, msg_negative))
                row_ok = False
            elif Decimal(price) >= ceiling:
                add(RowError(number, labels["price"], price_text, msg_ceiling))
                row_ok = False
        if values["region"] and not is_own_region(values["region"]):
            add(RowError(number, labels["region"], values["region"], msg_region))
            row_ok = False
        if values["hospital"] and values["code"] and unit is not None:
            key = (values["hospital"], values["code"], unit)
            earlier = seen.get(key)
            if earlier is not None:
                add(RowError(number, labels["code"], values["code"],
                             msg_duplicate % {"row": earlier}))
                row_ok = False
            else:
                seen[key] = number
        if row_ok:
            lines.append(PriceLine(values["hospital"], values["clinic"], category, values["code"],
                                   values["description"], unit, price, values["note"]))
        if len(errors) >= MAX_ERRORS:
            errors.append(RowError(None, "", "", _("Fler än %(n)s fel; rätta dessa först.")
                                   % {"n": MAX_ERRORS}))
            break
    if errors:
        raise UploadRejected(errors)
    return lines


def read_price_file(filename: str, data: bytes, region: Region) -> tuple[list[PriceLine], str]:
    """Every line of an uploaded CSV or XLSX, checked; raises UploadRejected with all errors."""
    table, kind = read_table(filename, data)
    return check_lines(table, region, is_xlsx=kind == "xlsx"), kind


def check_json_lines(payload, region: Region) -> list[PriceLine]:
    """The API's JSON body {"lines": [...]} checked like a file; rows are numbered from 1."""
    if not isinstance(payload, dict) or not isinstance(payload.get("lines"), list):
        raise _reject(_("Begäran ska vara ett JSON-objekt med listan ”lines”."))
    lines = payload["lines"]
    if not lines:
        raise _reject(_("Listan ”lines” är tom."))
    if len(lines) > MAX_ROWS:
        raise _reject(_("Fler än %(n)s rader.") % {"n": MAX_ROWS}, str(len(lines)))
    records = []
    for index, line in enumerate(lines, start=1):
        if not isinstance(line, dict):
            raise UploadRejected([RowError(index, "", "", _("Raden ska vara ett JSON-objekt."))])
        record = {}
        for key in COLUMNS:
            value = line.get(key, "")
            if isinstance(value, bool) or not isinstance(value, str | int | float | type(None)):
                raise UploadRejected([RowError(index, key, "", _("Fel datatyp."))])
            record[key] = "" if value is None else (
                value if isinstance(value, str) else _cell_text(value))
        records.append(record)
    return check_records(records, region, first_row=1, json_names=True)
