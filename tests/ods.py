"""OpenDocument spreadsheets written by hand, as LibreOffice writes them or as an attacker would.

A zip with the `mimetype` member first and stored, a manifest and `content.xml`; the
tables are given as XML so that a test controls every repeat and attribute.
"""

import io
import zipfile
from xml.sax.saxutils import escape, quoteattr

NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'office:version="1.3"'
)
MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
    '<manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"


def cell(value) -> str:
    """A cell as LibreOffice writes it: numbers with office:value, texts as text:p."""
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, int | float) or type(value).__name__ == "Decimal":
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    paragraphs = "".join(f"<text:p>{escape(line)}</text:p>" for line in str(value).split("\n"))
    return f'<table:table-cell office:value-type="string">{paragraphs}</table:table-cell>'


def row(values, *, repeated: int = 1) -> str:
    attribute = f' table:number-rows-repeated="{repeated}"' if repeated > 1 else ""
    return f"<table:table-row{attribute}>{''.join(cell(v) for v in values)}</table:table-row>"


def table(name: str, rows_xml: str, *, trailing_empty_rows: int = 1_048_000) -> str:
    """A sheet; LibreOffice ends each with an empty row repeated to the last row of the sheet."""
    trailing = (
        f'<table:table-row table:number-rows-repeated="{trailing_empty_rows}">'
        '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
        if trailing_empty_rows
        else ""
    )
    return (
        f"<table:table table:name={quoteattr(name)}>"
        '<table:table-column table:number-columns-repeated="16384"/>'
        f"{rows_xml}{trailing}</table:table>"
    )


def sheet(name: str, rows, **kwargs) -> str:
    return table(name, "".join(row(r) for r in rows), **kwargs)


def content(*tables: str, prolog: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}'
        f"<office:document-content {NAMESPACES}><office:body><office:spreadsheet>"
        f"{''.join(tables)}</office:spreadsheet></office:body></office:document-content>"
    ).encode()


def ods(content_xml: bytes, *, mimetype: str = MIMETYPE, extra: dict | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", MANIFEST)
        archive.writestr("content.xml", content_xml)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def workbook(*sheets: tuple[str, list]) -> bytes:
    """An ODS of (name, rows) sheets, each ending as LibreOffice ends it."""
    return ods(content(*(sheet(name, rows) for name, rows in sheets)))
