"""Reading uploaded tables (CSV, XLSX, ODS) for every upload, and writing them safely.

One reader for price lines, indicator values, activities and the admin's imports: it
tells CSV, XLSX and OpenDocument (.ods) apart by the content, finds the header row, and
refuses with a Swedish message (UploadRejected) whatever it cannot read exactly; each
app keeps its own column checks. Exports escape formulas (escape_formula) in every
format, ODS included (ods_bytes).

The files are what Swedish offices produce: Excel's "CSV (semikolonavgränsad)" in
Windows-1252, UTF-8 with or without a BOM, Excel for Mac's "CSV (Macintosh)" with CR
line endings, Excel's "Unicode-text" (tab-separated UTF-16 LE with a BOM), XLSX with
title rows above the header or the table on another sheet than the first, and the .ods
that LibreOffice saves.

Hostile files are bounded before and while they are parsed: an XLSX is a zip, so its
members are counted and their unpacked sizes and XML tags summed first (a 290 kB file
can unpack to 100 MB); the sheet is then read as a stream, row by row, with limits on
rows, cells and nesting, and XML with a DTD (entity expansion) is refused by defusedxml.
An ODS is bounded the same way; its repeats (`table:number-rows-repeated`, which
LibreOffice writes for the million empty rows under a table) are counted, never expanded
unless they hold a value, and then only within the row and column limits.
"""

import csv
import io
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.utils.translation import gettext as _

# A spreadsheet program runs a cell that starts with one of these (a tab or carriage
# return before one too), so exports put an apostrophe before such a text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HEADER_SEARCH_ROWS = 20  # title rows above the header: a few in the files we have seen
EXCEL_MAX_COLUMNS = 16_384  # XFD; a row with more cells than this is not from Excel
MAX_CELL_PARTS = 10_000  # elements in one cell (rich text runs); Excel holds 32 767 characters
MAX_OTHER_ELEMENTS = 200_000  # merged cells, hyperlinks, formats … around the rows
MAX_ERRORS = 500
CSV_FIELD_LIMIT = csv.field_size_limit()


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


def reject(
    message: str, value: str = "", *, row: int | None = None, column: str = ""
) -> UploadRejected:
    return UploadRejected([RowError(row, column, value, message)])


def escape_formula(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


def unescape_formula(value: str) -> str:
    """Our own exports put an apostrophe before = + - @ so Excel shows text; undo it."""
    if value[:1] == "'" and value[1:2] and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def _lines(text: str) -> str:
    # XML reads a carriage return as a line feed: written as one, so it reads back the same.
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def ods_bytes(sheets: list[tuple[str, list[str], Iterable]]) -> bytes:
    """An OpenDocument spreadsheet of (title, header, rows) sheets, formulas escaped.

    Written with tablib and odfpy (tablib[ods]); a number (a price as Decimal) becomes a
    number cell whose office:value is its exact text, so it reads back unchanged.
    """
    import tablib

    book = tablib.Databook()
    for title, header, rows in sheets:
        dataset = tablib.Dataset(headers=[escape_formula(name) for name in header], title=title)
        for row in rows:
            dataset.append([escape_formula(_lines(v)) if isinstance(v, str) else v for v in row])
        book.add_sheet(dataset)
    return book.export("ods")


@dataclass(frozen=True)
class Limits:
    """What one reader accepts; each is beyond what a real file of its kind reaches."""

    max_bytes: int  # the uploaded file
    max_rows: int  # rows under the header
    max_unpacked_bytes: int  # XLSX, ODS: the zip's members together, unpacked
    max_xml_tags: int  # XLSX, ODS: '<' in any one member, counted before it is parsed
    max_members: int = 1_000  # XLSX, ODS: a workbook with charts and images has a few dozen
    max_columns: int = 100  # cells further right are ignored (read, never kept)
    # XLSX: cells parsed in the whole workbook, kept or not. openpyxl's cell parser reads
    # some 40 000–80 000 cells a second here, so this is what bounds the seconds an upload
    # may hold a worker (bench/price_import.py measures the rate); a CSV has no such cost.
    max_cells: int = 300_000
    formulas_as_text: bool = False  # XLSX, ODS: a formula as its '=…' text, else its value


@dataclass
class Table:
    """Every row of the file (or of the sheet that has the header), row 1 first."""

    rows: list[list[str]]
    header: int  # index in rows of the header row (0 unless title rows come first)
    kind: str  # "csv", "xlsx" or "ods"
    sheet: str = ""
    found_header: bool = True  # False: no row looked like a header; `header` is the first row


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def read_table(
    filename: str,
    data: bytes,
    *,
    limits: Limits,
    header_score: Callable[[list[str]], int],
    min_score: int,
) -> Table:
    """The file's rows as text cells, told CSV, XLSX or ODS by its content, never by its name.

    The header is the first row among the first HEADER_SEARCH_ROWS (on the first sheet
    that has one) whose `header_score` (how many cells name a known column) reaches
    `min_score`. Raises UploadRejected with a Swedish message for anything it cannot
    read exactly; no cell of the table holds a NUL (PostgreSQL text cannot).
    """
    if len(data) > limits.max_bytes:
        raise reject(_("Filen är större än %(mb)s MB.") % {"mb": _mb(limits.max_bytes)}, filename)
    if not data.strip():
        raise reject(_("Filen är tom."), filename)
    if data.startswith(b"PK\x03\x04"):
        if _check_archive(filename, data, limits) == "ods":
            return _ods_table(filename, data, limits, header_score, min_score)
        return _xlsx_table(filename, data, limits, header_score, min_score)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise reject(
            _("Det gamla Excelformatet (.xls) stöds inte. Spara filen som .xlsx eller CSV."),
            filename,
        )
    if data.startswith(b"%PDF"):
        raise reject(
            _("Filen är varken en CSV-fil, en Excelfil (.xlsx) eller en OpenDocument-fil (.ods)."),
            filename,
        )
    return _csv_table(filename, data, limits, header_score, min_score)


def _header_index(rows: list[list[str]], header_score, min_score) -> tuple[int, int]:
    """(index, score) of the first row reaching min_score in the first rows, else (-1, 0)."""
    for index, row in enumerate(islice(rows, HEADER_SEARCH_ROWS)):
        score = header_score(row)
        if score >= min_score:
            return index, score
    return -1, 0


def _first_filled(rows: list[list[str]]) -> int:
    return next((i for i, row in enumerate(rows) if any(c.strip() for c in row)), 0)


def _reject_nul(rows: list[list[str]], header: int) -> None:
    # PostgreSQL cannot store a NUL in text: refused at the upload, not at the confirmation.
    names = rows[header] if rows else []

    def name(column: int) -> str:
        return (
            names[column - 1].strip()
            if column <= len(names) and names[column - 1].strip()
            else _("kolumn %(n)s") % {"n": column}
        )

    errors = [
        RowError(
            number,
            name(column),
            cell.replace("\x00", "␀")[:60],
            _(
                "Cellen innehåller ett NUL-tecken (byte 0), som inte kan sparas. "
                "Spara filen igen som CSV eller .xlsx från kalkylprogrammet."
            ),
        )
        for number, row in enumerate(rows, start=1)
        for column, cell in enumerate(row, start=1)
        if "\x00" in cell
    ]
    raise UploadRejected(errors[:MAX_ERRORS])


# CSV ----------------------------------------------------------------------------------


def _decode(filename: str, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode-text": UTF-16 with a byte order mark, tab-separated.
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise reject(
                _(
                    "Filen ser ut att vara UTF-16 (Excels ”Unicode-text”) men kunde "
                    "inte läsas som det."
                ),
                filename,
            ) from None
    head = data[:4096]
    if b"\x00" in head:
        if head[1::2].count(0) > len(head) // 4 or head[::2].count(0) > len(head) // 4:
            raise reject(
                _(
                    "Filen är UTF-16 utan byteordningsmärke (BOM). Spara den som "
                    "”CSV UTF-8” eller som .xlsx."
                ),
                filename,
            )
        raise reject(_("Filen är varken en CSV-fil eller en Excelfil (.xlsx)."), filename)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV (semikolonavgränsad)" as Windows-1252.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise reject(
                _("Filen kunde inte läsas som text (UTF-8 eller Windows-1252)."), filename
            ) from None


def _csv_reader(text: str, delimiter: str):
    # newline="": lines end at CR, LF or CR LF (Excel for Mac writes CR only), and a
    # quoted field keeps its own line breaks.
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _csv_table(filename, data, limits, header_score, min_score) -> Table:
    text = _decode(filename, data)
    best = None
    for delimiter in (";", "\t", ","):
        try:
            sample = list(islice(_csv_reader(text, delimiter), HEADER_SEARCH_ROWS))
        except csv.Error:
            continue
        index, score = _header_index(sample, header_score, min_score)
        if index >= 0 and (best is None or score > best[2]):
            best = (delimiter, index, score)
    if best is None:
        # No row looks like a header: guess from the first line, and let the app's
        # column check say which columns are missing and where the header must be.
        lines = text.strip("\r\n").splitlines()
        first = lines[0] if lines else ""
        delimiter, header, found = max((";", "\t", ","), key=first.count), None, False
    else:
        delimiter, header, _score = best
        found = True
    reader = _csv_reader(text, delimiter)
    cap = limits.max_rows + HEADER_SEARCH_ROWS + 1
    rows: list[list[str]] = []
    try:
        # extend keeps the rows read before an error, whose count names the failing row.
        rows.extend(islice(reader, cap))
        extra = next(reader, None)
    except csv.Error as error:
        row = len(rows) + 1
        if "field larger" in str(error):
            message = _(
                "Ett fält är längre än %(n)s tecken. Det beror oftast på ett "
                'citattecken (") som inleder ett fält men aldrig avslutas; '
                "fältet börjar på rad %(row)s eller strax före."
            )
            raise reject(
                message % {"n": f"{CSV_FIELD_LIMIT:,}".replace(",", " "), "row": row}, row=row
            ) from None
        raise reject(
            _("Raden kunde inte läsas som CSV: %(reason)s.") % {"reason": error}, row=row
        ) from None
    if extra is not None:
        raise reject(_("Filen har fler än %(n)s rader.") % {"n": limits.max_rows}, filename)
    if header is None:
        header = _first_filled(rows)
    if "\x00" in text:
        _reject_nul(rows, header)
    width = len(rows[header]) if rows else 0
    if found and max(map(len, rows)) > width:
        _reject_long_rows(rows, header, width, delimiter)
    return Table(rows, header, "csv", found_header=found)


def _reject_long_rows(rows, header, width, delimiter) -> None:
    # A separator inside an unquoted value ("3 003,50" between commas) splits it in two
    # and moves every later field one column right: never repaired, always refused.
    names = {";": _("semikolon"), ",": _("komma"), "\t": _("tabb")}
    message = _(
        "Raden har %(n)s fält men rubrikraden %(width)s (avgränsare: %(sep)s). Ett "
        "värde som innehåller avgränsaren, t.ex. priset 3 003,50 i en kommaseparerad "
        "fil, måste stå inom citattecken; spara hellre filen med semikolon som "
        "avgränsare."
    )
    errors = [
        RowError(
            number,
            "",
            delimiter.join(row)[:80],
            message % {"n": len(row), "width": width, "sep": names[delimiter]},
        )
        for number, row in enumerate(rows, start=1)
        if len(row) > width and number > header + 1
    ]
    if errors:
        raise UploadRejected(errors[:MAX_ERRORS])
    # Only rows above the header are wider: title rows, harmless.


# XLSX ---------------------------------------------------------------------------------


def _unreadable(filename: str, kind: str = "xlsx") -> UploadRejected:
    if kind == "ods":
        return reject(
            _(
                "OpenDocument-filen kunde inte läsas (den är trasig eller inte en riktig "
                ".ods). Öppna den i LibreOffice Calc, spara den som .ods och försök igen."
            ),
            filename,
        )
    return reject(
        _(
            "Excelfilen kunde inte läsas (den är trasig eller inte en riktig .xlsx). "
            "Öppna den i Excel, spara den som .xlsx och försök igen."
        ),
        filename,
    )


def _xml_refused(filename: str, kind: str = "xlsx") -> UploadRejected:
    if kind == "ods":
        return reject(
            _(
                "OpenDocument-filen innehåller trasig XML eller en DTD med entiteter, som "
                "inte tas emot. Öppna den i LibreOffice Calc, spara den som .ods och "
                "försök igen."
            ),
            filename,
        )
    return reject(
        _(
            "Excelfilen innehåller trasig XML eller en DTD med entiteter, som inte "
            "tas emot. Öppna den i Excel, spara den som .xlsx och försök igen."
        ),
        filename,
    )


ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def _noun(kind: str | None) -> str:
    return {"xlsx": _("Excelfilen"), "ods": _("OpenDocument-filen")}.get(kind, _("Zip-filen"))


def _archive_kind(filename: str, archive: zipfile.ZipFile, names: set[str]) -> str | None:
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "mimetype" in names:
        try:
            with archive.open("mimetype") as member:
                mimetype = member.read(200).strip()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error, RuntimeError):
            raise _unreadable(filename, "ods") from None
        if mimetype == ODS_MIMETYPE:
            return "ods"
        if mimetype.startswith(b"application/vnd.oasis.opendocument."):
            raise reject(
                _(
                    "Filen är ett OpenDocument-dokument men inget kalkylblad. Spara tabellen "
                    "i LibreOffice Calc som .ods, eller som .xlsx eller CSV."
                ),
                filename,
            )
    return None


def _check_archive(filename: str, data: bytes, limits: Limits) -> str:
    """'xlsx' or 'ods', told by the zip's members; refused when its sizes exceed the limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _unreadable(filename) from None
    names = {info.filename for info in infos}
    kind = _archive_kind(filename, archive, names) if len(infos) <= limits.max_members else None
    if len(infos) > limits.max_members:
        raise reject(
            _("%(file)s består av %(n)s delar; en prislista eller tabell har högst %(max)s.")
            % {
                "file": _noun("xlsx" if "xl/workbook.xml" in names else None),
                "n": len(infos),
                "max": limits.max_members,
            },
            filename,
        )
    if kind is None:
        raise reject(
            _(
                "Filen är en zip-fil men varken en Excelfil (.xlsx) eller en OpenDocument-fil (.ods)."
            ),
            filename,
        )
    if kind == "ods" and "content.xml" not in names:
        raise _unreadable(filename, kind)
    unpacked = sum(info.file_size for info in infos)
    if unpacked > limits.max_unpacked_bytes:
        raise reject(
            _(
                "%(file)s är %(size)s MB uppackad; högst %(max)s MB tas emot. Dela "
                "upp filen eller spara den som CSV."
            )
            % {
                "file": _noun(kind),
                "size": _mb(unpacked),
                "max": _mb(limits.max_unpacked_bytes),
            },
            filename,
        )
    # The declared sizes bound what is unpacked: zipfile stops at a member's declared size
    # and fails its CRC check if the data says otherwise. Counting tags (in C, as it
    # unpacks) bounds the elements the XML parsers will build, before any of them runs.
    for info in infos:
        if not info.filename.endswith((".xml", ".rels")):
            continue
        tags = 0
        try:
            with archive.open(info) as member:
                while chunk := member.read(1 << 20):
                    tags += chunk.count(b"<")
        except (
            zipfile.BadZipFile,
            OSError,
            ValueError,
            EOFError,
            zlib.error,
            NotImplementedError,
            RuntimeError,
        ):
            raise _unreadable(filename, kind) from None
        if tags > limits.max_xml_tags:
            raise reject(
                _(
                    "%(file)s är för stor uppackad (%(part)s har %(n)s XML-taggar; "
                    "högst %(max)s tas emot)."
                )
                % {
                    "file": _noun(kind),
                    "part": info.filename,
                    "n": tags,
                    "max": limits.max_xml_tags,
                },
                filename,
            )
    return kind


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_CELL, _ROW = f"{_MAIN}c", f"{_MAIN}row"
_CELL_PARTS = {f"{_MAIN}{name}" for name in ("v", "f", "is", "t", "r", "rPr", "rPh")}


def cell_text(value) -> str:
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


class _Workbook:
    """The parts of a workbook the rows need, read with openpyxl's own readers.

    Not openpyxl.load_workbook: in read-only mode it parses every sheet once to find its
    size (the whole sheet when it declares none, holding the parsed elements), and it
    turns the XML parser's refusals into a bare ValueError.
    """

    def __init__(self, data: bytes, *, data_only: bool):
        from openpyxl.reader.excel import ExcelReader
        from openpyxl.styles.stylesheet import apply_stylesheet

        reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=data_only)
        self.archive = reader.archive
        try:
            reader.read_manifest()
            reader.read_strings()
            reader.read_workbook()
            apply_stylesheet(reader.archive, reader.wb)
            self.sheets = [
                (sheet.name, rel.target)
                for sheet, rel in reader.parser.find_sheets()
                if rel.target in reader.valid_files and "chartsheet" not in rel.Type
            ]
        except BaseException:
            self.archive.close()
            raise
        self.shared_strings = reader.shared_strings
        self.data_only = data_only
        self.epoch = reader.wb.epoch
        self.date_formats = reader.wb._date_formats
        self.timedelta_formats = reader.wb._timedelta_formats


def _sheet_rows(
    workbook: _Workbook,
    title: str,
    target: str,
    limits: Limits,
    filename: str,
    budget: "_CellBudget",
) -> Iterator[list[str]]:
    """A sheet's rows as text, streamed: at most one row's cells are held at a time.

    openpyxl's own row reader builds a whole row before anything can look at it, and pads
    every row to the sheet's declared width (up to 16 384 cells); this one keeps the cells
    it needs and clears each element as soon as it is read. It uses openpyxl's cell parser
    (types, shared strings, dates, formulas).
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    parser = WorkSheetParser(
        None,
        workbook.shared_strings,
        data_only=workbook.data_only,
        epoch=workbook.epoch,
        date_formats=workbook.date_formats,
        timedelta_formats=workbook.timedelta_formats,
    )
    max_row = limits.max_rows + HEADER_SEARCH_ROWS + 1
    max_columns = limits.max_columns
    text_of = cell_text
    number = 0
    cells: list = []
    count = parts = others = 0
    with workbook.archive.open(target) as source:
        for _event, element in iterparse(source, forbid_dtd=True):
            tag = element.tag
            if tag == _CELL:
                cell = parser.parse_cell(element)
                element.clear()
                count += 1
                parts = 0
                if count > EXCEL_MAX_COLUMNS or cell["column"] > EXCEL_MAX_COLUMNS:
                    raise reject(
                        _(
                            "Bladet ”%(sheet)s” har en rad med fler än %(n)s celler, "
                            "vilket Excel inte tillåter."
                        )
                        % {"sheet": title, "n": EXCEL_MAX_COLUMNS},
                        filename,
                    )
                if cell["value"] is not None and cell["column"] <= max_columns:
                    cells.append((cell["column"], cell["value"]))
            elif tag == _ROW:
                given = element.get("r")
                row = int(given) if given and given.isdigit() else number + 1
                element.clear()
                if row <= number:
                    raise reject(
                        _(
                            "Bladet ”%(sheet)s” har raderna i fel ordning (rad %(row)s "
                            "efter rad %(prev)s)."
                        )
                        % {"sheet": title, "row": row, "prev": number},
                        filename,
                    )
                if row > max_row:
                    raise reject(
                        _("Filen har fler än %(n)s rader.") % {"n": limits.max_rows}, filename
                    )
                for _gap in range(number + 1, row):
                    yield []
                budget.spend(count)
                values = [""] * max((column for column, _v in cells), default=0)
                for column, value in cells:
                    values[column - 1] = value if value.__class__ is str else text_of(value)
                yield values
                number, cells, count = row, [], 0
                parser.col_counter = 0
            elif tag in _CELL_PARTS:
                parts += 1
                if parts > MAX_CELL_PARTS:
                    raise reject(
                        _("En cell i bladet ”%(sheet)s” är orimligt stor.") % {"sheet": title},
                        filename,
                    )
            else:
                others += 1
                if others > MAX_OTHER_ELEMENTS:
                    raise reject(
                        _("Bladet ”%(sheet)s” har orimligt många element utöver raderna.")
                        % {"sheet": title},
                        filename,
                    )
                element.clear()


def _xlsx_table(filename, data, limits, header_score, min_score) -> Table:
    # openpyxl raises whatever the broken part of a file makes it raise (KeyError,
    # TypeError, its own exceptions …): inside it, every failure is the file's.
    try:
        workbook = _Workbook(data, data_only=not limits.formulas_as_text)
    except (DefusedXmlException, ParseError, SyntaxError):
        raise _xml_refused(filename) from None
    except Exception:
        raise _unreadable(filename) from None
    try:
        table = _find_sheet(workbook, filename, limits, header_score, min_score)
    except UploadRejected:
        raise
    except (DefusedXmlException, ParseError, SyntaxError):
        raise _xml_refused(filename) from None
    except Exception:
        raise _unreadable(filename) from None
    finally:
        workbook.archive.close()
    if any("\x00" in "".join(row) for row in table.rows):
        _reject_nul(table.rows, table.header)
    return table


class _CellBudget:
    """The cells a workbook's sheets may still have parsed (Limits.max_cells), shared by
    every sheet looked at for the header."""

    def __init__(self, limits: Limits, filename: str):
        self.left, self.limits, self.filename = limits.max_cells, limits, filename

    def spend(self, cells: int) -> None:
        self.left -= cells
        if self.left < 0:
            raise reject(
                _(
                    "Excelfilen har fler än %(n)s celler, fler än portalen läser ur en "
                    "Excelfil. Spara tabellen som CSV (semikolonavgränsad), som kan vara "
                    "större, eller dela upp den."
                )
                % {"n": f"{self.limits.max_cells:,}".replace(",", "\u00a0")},
                self.filename,
            )


def _find_sheet(workbook, filename, limits, header_score, min_score) -> Table:
    first = None
    budget = _CellBudget(limits, filename)
    for title, target in workbook.sheets:
        rows_of = _sheet_rows(workbook, title, target, limits, filename, budget)
        head = list(islice(rows_of, HEADER_SEARCH_ROWS))
        index, _score = _header_index(head, header_score, min_score)
        if index >= 0:
            return Table(head + list(rows_of), index, "xlsx", title)
        if first is None:
            first = (title, head, rows_of)
    if first is None:
        raise reject(_("Excelfilen har inga kalkylblad."), filename)
    title, head, rows_of = first
    rows = head + list(rows_of)
    return Table(rows, _first_filled(rows), "xlsx", title, found_header=False)


# ODS ----------------------------------------------------------------------------------

_TABLE_NS = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE_NS = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT_NS = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_ODS_TABLE, _ODS_ROW = f"{_TABLE_NS}table", f"{_TABLE_NS}table-row"
_ODS_CELLS = {f"{_TABLE_NS}table-cell", f"{_TABLE_NS}covered-table-cell"}
_ODS_COVERED = f"{_TABLE_NS}covered-table-cell"
_ODS_COLUMNS_REPEATED = f"{_TABLE_NS}number-columns-repeated"
_ODS_ROWS_REPEATED = f"{_TABLE_NS}number-rows-repeated"
_ODS_FORMULA = f"{_TABLE_NS}formula"
_ODS_VALUE_TYPE = f"{_OFFICE_NS}value-type"
_ODS_VALUE = f"{_OFFICE_NS}value"
_ODS_DATE = f"{_OFFICE_NS}date-value"
_ODS_P = f"{_TEXT_NS}p"
_ODS_SPACE, _ODS_TAB, _ODS_BREAK = f"{_TEXT_NS}s", f"{_TEXT_NS}tab", f"{_TEXT_NS}line-break"
_ODS_NUMBERS = {"float", "currency", "percentage"}
MAX_SPACES = 1_000  # <text:s text:c="…"/>: a run of spaces; a cell holds far fewer


def _repeat(element, name: str, filename: str) -> int:
    given = element.get(name)
    if given is None:
        return 1
    try:
        count = int(given)
    except ValueError:
        raise _unreadable(filename, "ods") from None
    if count < 1:
        raise _unreadable(filename, "ods")
    return count


def _ods_number(text: str) -> str:
    """office:value as the text a number cell has elsewhere: exact, with a decimal comma.

    The attribute is the number as written (2850.5, 1E-05), never rounded through a float.
    """
    try:
        number = Decimal(text.strip())
    except ArithmeticError:
        return text
    if not number.is_finite() or not -30 < number.adjusted() < 30:
        return text  # kept as written: the app's check refuses it with the cell's value
    if number == number.to_integral_value():
        return str(number.quantize(Decimal(1)))
    return format(number.normalize(), "f").replace(".", ",")


def _ods_paragraph(element) -> str:
    parts = [element.text or ""]
    for child in element:
        tag = child.tag
        if tag == _ODS_SPACE:
            given = child.get(f"{_TEXT_NS}c", "1")
            parts.append(" " * min(int(given) if given.isdigit() else 1, MAX_SPACES))
        elif tag == _ODS_TAB:
            parts.append("\t")
        elif tag == _ODS_BREAK:
            parts.append("\n")
        elif not tag.startswith(_OFFICE_NS):  # office:annotation is a comment, not the value
            parts.append(_ods_paragraph(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _ods_cell(element, formulas_as_text: bool) -> str:
    if formulas_as_text and (formula := element.get(_ODS_FORMULA)):
        # "of:=[.A1]*2": the namespace prefix before the formula itself.
        return formula.split(":", 1)[1] if formula[:1] != "=" and ":" in formula else formula
    kind = element.get(_ODS_VALUE_TYPE)
    if kind in _ODS_NUMBERS and (value := element.get(_ODS_VALUE)) is not None:
        return _ods_number(value)
    if kind == "date" and (value := element.get(_ODS_DATE)):
        return value[:10]
    return "\n".join(_ods_paragraph(p) for p in element if p.tag == _ODS_P)


def _ods_items(source, limits: Limits, filename: str) -> Iterator[tuple[str, object]]:
    """("sheet", name), then ("row", cells) for each row, then ("end", name); streamed.

    A repeated empty row or cell is only counted; empty rows at the end of a sheet (where
    LibreOffice writes one row repeated a million times) are dropped, and those between
    rows with values become empty rows, within the row limit. A repeated row or cell with
    a value is expanded, and refused if that passes the row or column limit.
    """
    max_row = limits.max_rows + HEADER_SEARCH_ROWS + 1
    max_columns = limits.max_columns
    formulas_as_text = limits.formulas_as_text
    title = ""
    number = pending = column = 0
    cells: list[tuple[int, str]] = []
    depth = parts = others = 0  # depth: inside how many cells (a cell may hold a table)

    def too_many_rows():
        return reject(_("Filen har fler än %(n)s rader.") % {"n": limits.max_rows}, filename)

    for event, element in iterparse(source, events=("start", "end"), forbid_dtd=True):
        tag = element.tag
        if event == "start":
            if tag in _ODS_CELLS:
                depth += 1
                parts = 0
            elif tag == _ODS_TABLE and depth == 0:
                title = element.get(f"{_TABLE_NS}name", "")
                number = pending = 0
                yield "sheet", title
            continue
        if tag in _ODS_CELLS:
            depth -= 1
            if depth:
                continue
            repeat = _repeat(element, _ODS_COLUMNS_REPEATED, filename)
            value = "" if tag == _ODS_COVERED else _ods_cell(element, formulas_as_text)
            element.clear()
            if value:
                if column + repeat > EXCEL_MAX_COLUMNS:
                    raise reject(
                        _(
                            "Bladet ”%(sheet)s” har en rad med fler än %(n)s celler, "
                            "vilket LibreOffice och Excel inte tillåter."
                        )
                        % {"sheet": title, "n": EXCEL_MAX_COLUMNS},
                        filename,
                    )
                cells.extend(
                    (position, value)
                    for position in range(column + 1, min(column + repeat, max_columns) + 1)
                )
            column += repeat
        elif depth:
            parts += 1
            if parts > MAX_CELL_PARTS:
                raise reject(
                    _("En cell i bladet ”%(sheet)s” är orimligt stor.") % {"sheet": title},
                    filename,
                )
        elif tag == _ODS_ROW:
            repeat = _repeat(element, _ODS_ROWS_REPEATED, filename)
            element.clear()
            if not cells:
                pending += repeat  # never expanded: only rows with values after it count
            else:
                if number + pending + repeat > max_row:
                    raise too_many_rows()
                for _gap in range(pending):
                    yield "row", []
                values = [""] * cells[-1][0]
                for position, value in cells:
                    values[position - 1] = value
                for _copy in range(repeat):
                    yield "row", values.copy() if repeat > 1 else values
                number += pending + repeat
                pending = 0
            cells, column = [], 0
        elif tag == _ODS_TABLE:
            element.clear()
            yield "end", title
        else:
            others += 1
            if others > MAX_OTHER_ELEMENTS:
                raise reject(
                    _("Bladet ”%(sheet)s” har orimligt många element utöver raderna.")
                    % {"sheet": title},
                    filename,
                )
            element.clear()


def _ods_table(filename, data, limits, header_score, min_score) -> Table:
    """The sheet with the header (else the first), as _xlsx_table finds it."""
    first: tuple[str, list[list[str]]] | None = None
    found: Table | None = None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("content.xml") as source:
            items = _ods_items(source, limits, filename)
            rows: list[list[str]] = []
            index, keep = -1, True
            for kind, payload in items:
                if kind == "sheet":
                    rows, index, keep = [], -1, True
                elif kind == "row":
                    if index < 0 and len(rows) < HEADER_SEARCH_ROWS:
                        if header_score(payload) >= min_score:
                            index = len(rows)
                    elif index < 0 and first is not None:
                        keep = False  # not the header sheet and not the first: not needed
                    if keep:
                        rows.append(payload)
                elif index >= 0:
                    found = Table(rows, index, "ods", payload)
                    break
                elif first is None:
                    first = (payload, rows)
            items.close()
    except UploadRejected:
        raise
    except (DefusedXmlException, ParseError, SyntaxError):
        raise _xml_refused(filename, "ods") from None
    except Exception:
        raise _unreadable(filename, "ods") from None
    if found is None:
        if first is None:
            raise reject(_("OpenDocument-filen har inga kalkylblad."), filename)
        title, rows = first
        found = Table(rows, _first_filled(rows), "ods", title, found_header=False)
    if any("\x00" in "".join(row) for row in found.rows):
        _reject_nul(found.rows, found.header)
    return found
