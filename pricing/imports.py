"""Reading a region's price lines from CSV, XLSX or the API's JSON.

Stage, then commit: every row is parsed and checked here first, every bad cell is
reported with row, column, value and a Swedish message, and the caller writes nothing
unless the list of errors is empty.

The files are what Swedish offices produce: Excel's "CSV (semikolonavgränsad)" in
Windows-1252, or UTF-8 with or without a BOM, comma or semicolon separated; prices
with a decimal comma, thousands grouped by a space, a no-break space or a dot, and a
trailing "kr"; column names in any case. A list can have 100 000 lines, so the checks
run a column at a time in C where they can (see _check_columns), and Python looks at
single cells only where something is wrong.
"""

import contextlib
import gc
import re
from collections.abc import Sequence
from decimal import Decimal
from itertools import islice, repeat
from operator import itemgetter

from django.utils.translation import gettext as _

from core import tabular
from core.tabular import (
    HEADER_SEARCH_ROWS,
    Limits,
    RowError,
    Table,
    UploadRejected,
    cell_text,
    reject,
    unescape_formula,
)
from pricing.lines import MAX_LENGTHS, PriceLine
from pricing.models import PRICE_CEILING, Category, Unit
from regions.models import Region

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 200_000
MAX_ERRORS = 500  # enough to fix a file; a wholly wrong file should not make a 100 000-row page

# field → (label shown in messages, accepted column names in lower case)
COLUMNS = {
    "region": (_("Region"), ("region", "länskod", "lanskod", "säljande region")),
    "hospital": (_("Sjukhus"), ("sjukhus", "sjukhusnamn")),
    "clinic": (
        _("Klinik/verksamhet"),
        ("klinik/verksamhet", "klinik", "verksamhet", "klinik eller verksamhet"),
    ),
    "category": (_("Kategori"), ("kategori", "priskategori", "typ")),
    "code": (_("Kod"), ("kod", "kvå", "kva", "drg", "kod (kvå/drg)", "analyskod")),
    "description": (_("Benämning"), ("benämning", "beskrivning", "text", "namn")),
    "unit": (_("Enhet"), ("enhet", "per")),
    "price": (
        _("Pris (kr)"),
        ("pris (kr)", "pris", "pris kr", "pris (sek)", "pris sek", "belopp", "belopp (kr)"),
    ),
    "note": (_("Anmärkning"), ("anmärkning", "kommentar", "not", "notering")),
}
FIELDS = tuple(COLUMNS)
REQUIRED = ("hospital", "category", "code", "description", "unit", "price")
TEMPLATE_COLUMNS = [str(COLUMNS[key][0]) for key in COLUMNS]


def _lookup(choices, extra: dict[str, str]) -> dict[str, str]:
    table = {}
    for value, label in choices.choices:
        table[value] = value
        table[str(label).lower()] = value
    table.update(extra)
    return table


CATEGORY_NAMES = _lookup(
    Category,
    {
        "drg": Category.DRG_POINT,
        "drg-poäng": Category.DRG_POINT,
        "poängpris": Category.DRG_POINT,
        "vårddygn": Category.BED_DAY,
        "vårddag": Category.BED_DAY,
        "vardygn": Category.BED_DAY,
        "läkarbesök": Category.DOCTOR_VISIT,
        "besök": Category.DOCTOR_VISIT,
        "sjukvårdande behandling": Category.TREATMENT,
        "behandling": Category.TREATMENT,
        "åtgärd": Category.PROCEDURE,
        "kvå": Category.PROCEDURE,
        "åtgärd (kvå)": Category.PROCEDURE,
        "analys": Category.ANALYSIS,
        "labanalys": Category.ANALYSIS,
        "tillägg": Category.SUPPLEMENT,
        "tillagg": Category.SUPPLEMENT,
    },
)
UNIT_NAMES = _lookup(
    Unit,
    {
        "poäng": Unit.POINT,
        "drg-poäng": Unit.POINT,
        "per poäng": Unit.POINT,
        "dygn": Unit.DAY,
        "vårddygn": Unit.DAY,
        "per dygn": Unit.DAY,
        "besök": Unit.VISIT,
        "per besök": Unit.VISIT,
        "behandling": Unit.TREATMENT,
        "per behandling": Unit.TREATMENT,
        "åtgärd": Unit.PROCEDURE,
        "per åtgärd": Unit.PROCEDURE,
        "analys": Unit.ANALYSIS,
        "per analys": Unit.ANALYSIS,
        "st": Unit.PIECE,
        "st.": Unit.PIECE,
        "styck": Unit.PIECE,
        "per styck": Unit.PIECE,
        "tim": Unit.HOUR,
        "timme": Unit.HOUR,
        "per timme": Unit.HOUR,
    },
)
CATEGORY_LABELS = [str(label) for _v, label in Category.choices]
UNIT_LABELS = [str(label) for _v, label in Unit.choices]


# Reading files --------------------------------------------------------------------


# Each limit is past what a real price file reaches and bounds the time and memory of a
# hostile one. A 200 000-line list as openpyxl writes it (inline strings) unpacks to
# 103 MB with 10 million XML tags in its sheet; Excel's own, with shared strings, less.
LIMITS = Limits(
    max_bytes=MAX_BYTES,
    max_rows=MAX_ROWS,
    max_unpacked_bytes=200 * 1024 * 1024,
    max_xml_tags=14_000_000,
    max_columns=100,
    formulas_as_text=True,
)
_ALIASES = frozenset(alias for _label, aliases in COLUMNS.values() for alias in aliases)


def _header_score(row: list[str]) -> int:
    return sum(1 for cell in row if cell.strip().lower() in _ALIASES)


def read_table(filename: str, data: bytes) -> Table:
    """The file's rows as text cells, told CSV, XLSX or ODS by its content, never by its name.

    Refuses files over 10 MB and files that are neither CSV, XLSX nor ODS, whatever their name;
    the header is the first row naming three known columns among the first 20 rows (of
    the first sheet that has one).
    """
    return tabular.read_table(
        filename, data, limits=LIMITS, header_score=_header_score, min_score=3
    )


# Checking rows --------------------------------------------------------------------


_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009\t")
_CEILING_DIGITS = len(str(int(PRICE_CEILING)))
# A whole column of prices as plain as "74750", "74 750,5" or "2 850,00 kr" (once spaces are
# gone and in lower case): the common file, normalised in a few passes over one string.
_PLAIN_PRICES = re.compile(rf"(?:[0-9]{{1,{_CEILING_DIGITS - 1}}}(?:,[0-9]{{1,2}})?(?:kr|sek)?\n)*")
_WHOLE_KRONOR = re.compile(r"^([0-9]+)$", re.MULTILINE)
_ONE_DECIMAL = re.compile(r"(\.[0-9])$", re.MULTILINE)


def _is_digits(text: str) -> bool:
    # Not str.isdigit alone: '²' and '٣' are digits to Python but not to PostgreSQL.
    return text.isascii() and text.isdigit()


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
        return "-" if _is_digits(whole[1:]) else None
    if not _is_digits(whole) or (decimals and not _is_digits(decimals)) or len(decimals) > 2:
        return None
    return f"{whole}.{decimals.ljust(2, '0')}"


def _plain_prices(column: list[str]) -> list[str] | None:
    """parse_price of every cell, if all are plain, non-negative and under the ceiling."""
    text = "\n".join(column) + "\n"
    if text.count("\n") != len(column):
        return None
    text = text.translate(_SPACES).lower()
    if not _PLAIN_PRICES.fullmatch(text):
        return None
    # Each line now holds at most one suffix, so removing them cannot join two into one.
    text = text.replace("kr\n", "\n").replace("sek\n", "\n").replace(",", ".")
    text = _ONE_DECIMAL.sub(r"\g<1>0", _WHOLE_KRONOR.sub(r"\1.00", text))
    return text.split("\n")[:-1]


def _prices(column: list[str]) -> tuple[list[str | None], list[tuple[int, str]]]:
    """The column's prices normalised ('74750.00'), and (index, message) for each bad one.

    An empty cell is left to the check of required fields.
    """
    plain = _plain_prices(column)
    if plain is not None:
        return plain, []
    prices: list[str | None] = []
    bad = []
    for index, text in enumerate(column):
        price = parse_price(text) if text else None
        if text and price is None:
            bad.append(
                (index, _("Priset ska vara ett belopp i kronor, t.ex. 74 750 eller 1 234,50."))
            )
        elif price is not None and price[:1] == "-":
            bad.append((index, _("Priset får inte vara negativt.")))
        elif price is not None and Decimal(price) >= PRICE_CEILING:
            bad.append(
                (
                    index,
                    _("Priset är orimligt högt (över 10 000 000 kr). Kontrollera decimaltecknet."),
                )
            )
        prices.append(price)
    return prices, bad


def _header_positions(header: list[str], number: int) -> tuple[dict[str, int], list[RowError]]:
    names = [h.strip().lower() for h in header]
    positions: dict[str, int] = {}
    errors = []
    for key, (label, aliases) in COLUMNS.items():
        found = [i for i, name in enumerate(names) if name in aliases]
        if found:
            positions[key] = found[0]
        elif key in REQUIRED:
            errors.append(
                RowError(
                    number,
                    str(label),
                    "",
                    _("Kolumnen ”%(col)s” saknas i rubrikraden.") % {"col": label},
                )
            )
    return positions, errors


def region_matcher(region: Region):
    names = {
        region.scb_code,
        region.name.lower(),
        region.short_name.lower(),
        region.scb_code.lstrip("0"),
    }
    return lambda text: text.lower() in names


def _non_blank(table: list[list[str]], first: int = 1) -> tuple[list[list[str]], Sequence[int]]:
    """The rows that have any text, and each one's number in the file (`first` for table[0]).

    Blank rows are skipped but still counted, so that "rad 12" is row 12 in Excel.
    """
    filled = list(map(str.strip, map("".join, table)))
    if "" not in filled:
        return table, range(first, first + len(table))
    kept = [i for i, text in enumerate(filled) if text]
    return [table[i] for i in kept], [i + first for i in kept]


def check_lines(table: Table, region: Region) -> list[PriceLine]:
    """Validate every row under the table's header; return the lines or raise all errors."""
    rows, header = table.rows, table.header
    if not any(map("".join, rows)):
        raise reject(_("Filen innehåller inga rader."))
    positions, errors = _header_positions(rows[header], header + 1)
    if errors:
        if not table.found_header:
            errors.append(
                RowError(
                    header + 1,
                    "",
                    "",
                    _(
                        "Ingen rubrikrad hittades. Rubrikraden ska stå bland de första %(n)s raderna "
                        "(i något av bladen), med kolumnerna %(names)s."
                    )
                    % {"n": HEADER_SEARCH_ROWS, "names": ", ".join(TEMPLATE_COLUMNS)},
                )
            )
        raise UploadRejected(errors)
    body, numbers = _non_blank(rows[header + 1 :], header + 2)
    is_xlsx = table.kind in ("xlsx", "ods")  # formulas read as their text: refused
    if not body:
        raise reject(_("Filen har en rubrikrad men inga prisrader."))
    if len(body) > MAX_ROWS:
        raise reject(_("Filen har fler än %(n)s rader.") % {"n": MAX_ROWS}, str(len(body)))
    width = max(positions.values()) + 1
    if min(map(len, body)) < width:
        body = [row if len(row) >= width else [*row, *[""] * (width - len(row))] for row in body]
    transposed = list(zip(*body, strict=False))  # a row may run past the last column read
    columns = {key: transposed[pos] for key, pos in positions.items()}
    return _check_columns(columns, numbers, region, is_xlsx=is_xlsx)


def check_records(
    records: list[dict],
    region: Region,
    *,
    first_row: int = 2,
    is_xlsx: bool = False,
    json_names: bool = False,
) -> list[PriceLine]:
    """Validate rows given as dicts (field → text); return lines or raise every error.

    `first_row` is the number the first record is reported as (2 under a header row;
    the API reports the index in its array, and names columns by their JSON keys).
    """
    columns = {key: [record.get(key, "") for record in records] for key in FIELDS}
    return _check_columns(
        columns,
        range(first_row, first_row + len(records)),
        region,
        is_xlsx=is_xlsx,
        json_names=json_names,
    )


# The checks run a column at a time: most of them then cost one pass in C (a set of the
# distinct categories, `"" in column`, the longest text), and Python visits single cells
# only in a column that has something wrong. Errors are sorted back into row order, each
# row's in the order a reader checks them (formula, missing, length, category, unit,
# price, region, duplicate; left to right within each).
_FORMULA, _MISSING, _LONG, _CATEGORY, _UNIT, _PRICE, _REGION, _DUPLICATE = range(8)
_FIELD_ORDER = {key: i for i, key in enumerate(FIELDS)}


def _check_columns(
    columns: dict[str, Sequence[str]],
    numbers: Sequence[int],
    region: Region,
    *,
    is_xlsx: bool = False,
    json_names: bool = False,
) -> list[PriceLine]:
    count = len(numbers)
    found: list[tuple[int, int, int, RowError]] = []
    labels = {key: key if json_names else str(label) for key, (label, _a) in COLUMNS.items()}

    def report(check: int, key: str, indexes, value_of, message) -> None:
        """An error for each row index; `message` is text, or a function of the index."""
        # One check of one column can fill the page on its own; what lies beyond its
        # MAX_ERRORS-th row is cut from the report anyway (see _in_row_order).
        for index in islice(indexes, MAX_ERRORS):
            number = numbers[index]
            text = message if isinstance(message, str) else message(index)
            found.append(
                (
                    number,
                    check,
                    _FIELD_ORDER[key],
                    RowError(number, labels[key], value_of(index), text),
                )
            )

    values: dict[str, list[str]] = {}
    formulas: dict[str, set[int]] = {}
    msg_formula = _("Cellen innehåller en formel. Spara filen med värden i stället för formler.")
    for key in FIELDS:
        column = columns.get(key)
        if column is None:
            values[key] = [""] * count
            continue
        column = list(map(str.strip, column))
        # One search of the column joined up tells whether any cell needs a closer look.
        joined = "\n" + "\n".join(column)
        if is_xlsx and "\n=" in joined:
            formulas[key] = {i for i, v in enumerate(column) if v[:1] == "="}
            report(_FORMULA, key, sorted(formulas[key]), column.__getitem__, msg_formula)
            for i in formulas[key]:
                column[i] = ""
        if "\n'" in joined:
            column = [unescape_formula(v) if v[:1] == "'" else v for v in column]
        values[key] = column

    msg_required = _("Uppgiften saknas.")
    for key in REQUIRED:
        column, skip = values[key], formulas.get(key, ())
        if "" in column:
            report(
                _MISSING,
                key,
                (i for i, v in enumerate(column) if not v and i not in skip),
                lambda _i: "",
                msg_required,
            )
    msg_long = _("Texten är för lång (högst %(n)s tecken).")
    for key, limit in MAX_LENGTHS.items():
        column = values[key]
        if max(map(len, column)) > limit:
            report(
                _LONG,
                key,
                (i for i, v in enumerate(column) if len(v) > limit),
                lambda i, c=column: c[i][:60] + "…",
                msg_long % {"n": limit},
            )

    category = _choices(
        values["category"],
        CATEGORY_NAMES,
        lambda indexes: report(
            _CATEGORY,
            "category",
            indexes,
            values["category"].__getitem__,
            _("Okänd kategori. Använd en av: %(names)s.") % {"names": ", ".join(CATEGORY_LABELS)},
        ),
    )
    unit = _choices(
        values["unit"],
        UNIT_NAMES,
        lambda indexes: report(
            _UNIT,
            "unit",
            indexes,
            values["unit"].__getitem__,
            _("Okänd enhet. Använd en av: %(names)s.") % {"names": ", ".join(UNIT_LABELS)},
        ),
    )

    price, bad_prices = _prices(values["price"])
    if bad_prices:
        report(
            _PRICE,
            "price",
            (i for i, _m in bad_prices),
            values["price"].__getitem__,
            dict(bad_prices).__getitem__,
        )

    regions = values["region"]
    is_own_region = region_matcher(region)
    others = {text for text in set(regions) if text and not is_own_region(text)}
    if others:
        msg_region = _("Raden gäller en annan region än %(region)s, som du lämnar in för.") % {
            "region": region.name
        }
        report(
            _REGION,
            "region",
            (i for i, v in enumerate(regions) if v in others),
            regions.__getitem__,
            msg_region,
        )

    hospital, code = values["hospital"], values["code"]
    keys = list(zip(hospital, code, unit, strict=True))
    if len(set(keys)) < count:
        duplicates = _duplicates(keys)
        msg_duplicate = _("Samma sjukhus, kod och enhet finns redan på rad %(row)s.")
        report(
            _DUPLICATE,
            "code",
            iter(duplicates),
            code.__getitem__,
            lambda i: msg_duplicate % {"row": numbers[duplicates[i]]},
        )

    if found:
        raise UploadRejected(_in_row_order(found))
    # tuple.__new__ builds each PriceLine in C; PriceLine(...) would run Python per line.
    checked = {**values, "category": category, "unit": unit, "price": price}
    return list(
        map(
            tuple.__new__,
            repeat(PriceLine),
            zip(*(checked[field] for field in PriceLine._fields), strict=True),
        )
    )


def _choices(column: list[str], names: dict[str, str], report) -> list[str | None]:
    """The column's texts as choice values (None where unknown); unknown ones reported."""
    distinct = {text: names.get(text.lower()) for text in set(column)}
    unknown = {text for text, value in distinct.items() if text and value is None}
    if unknown:
        report(i for i, text in enumerate(column) if text in unknown)
    return [distinct[text] for text in column]


def _duplicates(keys: list[tuple[str, str, str | None]]) -> dict[int, int]:
    """Index of each row repeating an earlier row's key → index of that earlier row."""
    seen: dict[tuple, int] = {}
    repeats = {}
    for index, key in enumerate(keys):
        if key[0] and key[1] and key[2] is not None:
            earlier = seen.setdefault(key, index)
            if earlier != index:
                repeats[index] = earlier
    return repeats


def _in_row_order(found: list[tuple[int, int, int, RowError]]) -> list[RowError]:
    """The errors by row, cut after the row where they pass MAX_ERRORS."""
    found.sort(key=itemgetter(0, 1, 2))
    errors = [error for *_key, error in found]
    if len(errors) >= MAX_ERRORS:
        last_row = errors[MAX_ERRORS - 1].row
        cut = next(
            (i for i in range(MAX_ERRORS, len(errors)) if errors[i].row != last_row), len(errors)
        )
        errors = errors[:cut]
        errors.append(
            RowError(None, "", "", _("Fler än %(n)s fel; rätta dessa först.") % {"n": MAX_ERRORS})
        )
    return errors


def read_price_file(filename: str, data: bytes, region: Region) -> tuple[list[PriceLine], str]:
    """Every line of an uploaded CSV, XLSX or ODS, checked; raises UploadRejected with all errors."""
    with _no_cycle_collection():
        table = read_table(filename, data)
        kind = table.kind
        lines = check_lines(table, region)
        # Gone before collection resumes, whose first pass visits whatever is still alive.
        del table
    return lines, kind


@contextlib.contextmanager
def _no_cycle_collection():
    # A 100 000-line file becomes a million small strings and lists, none of them in a
    # reference cycle; left on, the cyclic collector walks them over and over as they
    # pile up, slowing a read many times over. They are freed by reference counting.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@_no_cycle_collection()
def check_json_lines(payload, region: Region) -> list[PriceLine]:
    """The API's JSON body {"lines": [...]} checked like a file; rows are numbered from 1."""
    if not isinstance(payload, dict) or not isinstance(payload.get("lines"), list):
        raise reject(_("Begäran ska vara ett JSON-objekt med listan ”lines”."))
    lines = payload["lines"]
    if not lines:
        raise reject(_("Listan ”lines” är tom."))
    if len(lines) > MAX_ROWS:
        raise reject(_("Fler än %(n)s rader.") % {"n": MAX_ROWS}, str(len(lines)))
    records = []
    for index, line in enumerate(lines, start=1):
        if not isinstance(line, dict):
            raise UploadRejected([RowError(index, "", "", _("Raden ska vara ett JSON-objekt."))])
        record = {}
        for key in COLUMNS:
            value = line.get(key, "")
            if isinstance(value, bool) or not isinstance(value, str | int | float | type(None)):
                raise UploadRejected([RowError(index, key, "", _("Fel datatyp."))])
            text = "" if value is None else (value if isinstance(value, str) else cell_text(value))
            if "\x00" in text:
                # PostgreSQL cannot store a NUL in text; the JSON escape \u0000 makes one.
                raise UploadRejected(
                    [
                        RowError(
                            index,
                            key,
                            text.replace("\x00", "␀")[:60],
                            _("Texten innehåller ett NUL-tecken (\\u0000), som inte kan sparas."),
                        )
                    ]
                )
            record[key] = text
        records.append(record)
    return check_records(records, region, first_row=1, json_names=True)
