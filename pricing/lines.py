"""A price line from the check to the table, read from the model.

The fields of a checked line, the longest text each may hold, the columns and their
order in the COPY, the staging table and the statements that write a region's lines
with their history: all come from PriceItem's fields and its unique line
(`priceitem_unique_line`), so the model, the checks and the written columns cannot
drift apart. A field added to PriceItem that PriceLine lacks stops the import of this
module.

A region's lines are written set-wise (replace_lines): COPY into a temporary staging
table, then one UPDATE, one DELETE and one INSERT against the real table, each writing
its history rows too, so that a line that kept its key (sjukhus, kod, enhet) is
recorded as changed rather than removed and added.
"""

import contextlib
from typing import NamedTuple

from django.apps import apps
from django.db import connection, models

from pricing.models import HISTORY_BY_STATEMENT, PriceItem


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


_OWNERS = ("price_list", "region")  # what a submission's lines all share
ITEM_FIELDS = tuple(PriceItem._meta.concrete_fields)
LINE_FIELDS = tuple(f for f in ITEM_FIELDS if not f.primary_key and f.name not in _OWNERS)
if tuple(f.name for f in LINE_FIELDS) != PriceLine._fields:
    raise ImportError(
        f"PriceLine {PriceLine._fields} does not match PriceItem's fields "
        f"{tuple(f.name for f in LINE_FIELDS)}"
    )

# The longest text of each free-text field; a field with choices is checked against them.
MAX_LENGTHS = {
    f.name: f.max_length for f in LINE_FIELDS if isinstance(f, models.CharField) and not f.choices
}

_UNIQUE_LINE = next(c for c in PriceItem._meta.constraints if c.name == "priceitem_unique_line")
KEY_COLUMNS = tuple(
    PriceItem._meta.get_field(name).column for name in _UNIQUE_LINE.fields if name not in _OWNERS
)
LINE_COLUMNS = tuple(f.column for f in LINE_FIELDS)
VALUE_COLUMNS = tuple(c for c in LINE_COLUMNS if c not in KEY_COLUMNS)
ITEM_COLUMNS = tuple(f.column for f in ITEM_FIELDS)
_TABLE = PriceItem._meta.db_table
_STAGE = "pricing_stage"
_COPY_SPECIALS = ("\\", "\r")  # with tabs and line breaks beyond the separators: escape


def _history_table() -> str:
    """The table of PriceItem's history (django-pghistory's event model)."""
    return apps.get_model("pricing", "PriceItemEvent")._meta.db_table


def stage_table_sql() -> str:
    """The temporary table a submission is copied into: the line's columns, as typed in
    pricing_priceitem, none of them null."""
    columns = ", ".join(f"{f.column} {f.db_type(connection)} NOT NULL" for f in LINE_FIELDS)
    return f"CREATE TEMPORARY TABLE IF NOT EXISTS {_STAGE} ({columns}) ON COMMIT DELETE ROWS"


def _with_history(statement: str, label: str) -> str:
    """`statement` (… RETURNING the row) with its rows written to the history table."""
    columns = ", ".join(ITEM_COLUMNS)
    returning = ", ".join(f"t.{c}" for c in ITEM_COLUMNS)
    return (
        f"WITH rows AS ({statement} RETURNING {returning})"
        f" INSERT INTO {_history_table()} ({columns}, pgh_context_id, pgh_created_at,"
        f" pgh_label, pgh_obj_id)"
        f" SELECT {columns}, %s, NOW(), '{label}', id FROM rows"
    )


def copy_text(lines: list[PriceLine]) -> str | None:
    """The lines as the body of a COPY in text format, or None if a value needs escaping."""
    text = "\n".join(map("\t".join, lines))
    clean = (
        text.count("\t") == (len(LINE_COLUMNS) - 1) * len(lines)
        and text.count("\n") == len(lines) - 1
        and not any(special in text for special in _COPY_SPECIALS)
    )
    return text + "\n" if clean else None


def lines_of_copy_text(text: str) -> list[PriceLine]:
    """The lines copy_text was given (no value holds a tab or a line break, it checked)."""
    return [tuple.__new__(PriceLine, row.split("\t")) for row in text[:-1].split("\n")]


@contextlib.contextmanager
def _history_by_statement(cursor):
    """PriceItem's history row triggers stand aside: the statements write the history."""
    cursor.execute("SELECT set_config(%s, 'on', true)", [HISTORY_BY_STATEMENT])
    yield
    # The triggers are back for any later write in the same transaction. Not in a
    # `finally`: after an error the transaction or savepoint is rolled back, which
    # undoes the setting too, and a statement here would only hide the error.
    cursor.execute("SELECT set_config(%s, '', true)", [HISTORY_BY_STATEMENT])


def _same_key(left: str, right: str) -> str:
    return " AND ".join(f"{left}.{c} = {right}.{c}" for c in KEY_COLUMNS)


def replace_lines(price_list_id: int, region_id: int, lines: list[PriceLine] | str) -> None:
    """Make the region's lines in the list exactly `lines`. Call inside a transaction.

    `lines` are checked lines, or their COPY text as copy_text made it (the cached
    lines of a pending submission).

    COPY into a temporary table, then change only what differs: history records a
    changed price as an update of its line. The history rows are written here, set-wise,
    in the same statements, with the row triggers of PriceItem switched off for them
    (models.HISTORY_BY_STATEMENT): pghistory's row trigger opens a subtransaction per
    row, and past 64 of them in one transaction PostgreSQL slows to a few hundred rows a
    second.
    """
    columns = ", ".join(LINE_COLUMNS)
    in_scope = "t.price_list_id = %s AND t.region_id = %s"
    with connection.cursor() as cursor:
        cursor.execute(stage_table_sql())
        cursor.execute(f"TRUNCATE {_STAGE}")
        with cursor.cursor.copy(f"COPY {_STAGE} ({columns}) FROM STDIN") as copy:
            # One string for the lot when no value needs escaping (the usual file), rather
            # than handing psycopg the lines one by one.
            text = lines if isinstance(lines, str) else copy_text(lines)
            if text is not None:
                copy.write(text)
            else:
                for line in lines:
                    copy.write_row(line)
        # Once per write, not per row: the context (who) the history rows point at.
        context = cursor.execute("SELECT _pgh_attach_context()").fetchone()[0]
        scope = (price_list_id, region_id)
        existing = cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {_TABLE} t WHERE {in_scope})", scope
        ).fetchone()[0]
        with _history_by_statement(cursor):
            if existing:
                # The planner's row estimates of a table just written are stale; an index
                # on the staging table keeps the joins linear whichever plan it picks.
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {_STAGE}_key"
                    f" ON {_STAGE} ({', '.join(KEY_COLUMNS)})"
                )
                cursor.execute(f"ANALYZE {_STAGE}")
                cursor.execute(
                    _with_history(
                        f"UPDATE {_TABLE} t SET {', '.join(f'{c} = s.{c}' for c in VALUE_COLUMNS)}"
                        f" FROM {_STAGE} s WHERE {in_scope} AND {_same_key('t', 's')}"
                        f" AND ({', '.join(f't.{c}' for c in VALUE_COLUMNS)})"
                        f" IS DISTINCT FROM ({', '.join(f's.{c}' for c in VALUE_COLUMNS)})",
                        "update",
                    ),
                    (*scope, context),
                )
                cursor.execute(
                    _with_history(
                        f"DELETE FROM {_TABLE} t WHERE {in_scope}"
                        f" AND NOT EXISTS (SELECT 1 FROM {_STAGE} s WHERE {_same_key('t', 's')})",
                        "delete",
                    ),
                    (*scope, context),
                )
            new_only = (
                (
                    f" WHERE NOT EXISTS (SELECT 1 FROM {_TABLE} p"
                    f" WHERE p.price_list_id = %s AND p.region_id = %s"
                    f" AND {_same_key('p', 's')})"
                )
                if existing
                else ""
            )
            cursor.execute(
                _with_history(
                    f"INSERT INTO {_TABLE} AS t (price_list_id, region_id, {columns})"
                    f" SELECT %s, %s, {columns} FROM {_STAGE} s{new_only}",
                    "insert",
                ),
                (*scope, *(scope if existing else ()), context),
            )
        cursor.execute(f"TRUNCATE {_STAGE}")
