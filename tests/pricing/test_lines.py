"""The write path of price lines is read from the model: the checks, the staging table,
the COPY and the history write exactly PriceItem's columns."""

import pytest
from django.db import connection, transaction

from pricing import lines
from pricing.imports import COLUMNS
from pricing.models import PriceItem
from tests.pricing.factories import line


def _columns(table: str) -> dict[str, tuple[str, int | None, int | None, int | None]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, data_type, character_maximum_length, numeric_precision,"
            " numeric_scale FROM information_schema.columns WHERE table_name = %s",
            [table],
        )
        return {name: rest for name, *rest in cursor.fetchall()}


def test_a_checked_line_has_every_field_of_a_price_item_but_its_owners_and_id():
    fields = [f.name for f in PriceItem._meta.concrete_fields]
    assert fields == ["id", "price_list", "region", *lines.PriceLine._fields]
    # The upload reads a column for each of them (and the region it checks).
    assert set(lines.PriceLine._fields) <= set(COLUMNS)


def test_the_text_limits_are_the_models_max_lengths():
    assert lines.MAX_LENGTHS == {
        "hospital": 200,
        "clinic": 200,
        "code": 40,
        "description": 300,
        "note": 500,
    }
    for name, limit in lines.MAX_LENGTHS.items():
        assert PriceItem._meta.get_field(name).max_length == limit


@pytest.mark.django_db(transaction=True)
def test_the_staging_table_has_the_price_lines_columns_with_their_types():
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(lines.stage_table_sql())
        staged = _columns("pricing_stage")
    item = _columns(PriceItem._meta.db_table)
    assert staged == {column: item[column] for column in lines.LINE_COLUMNS}


def test_the_key_of_a_line_is_the_unique_line_without_its_list_and_region():
    assert lines.KEY_COLUMNS == ("hospital", "code", "unit")
    assert set(lines.VALUE_COLUMNS) | set(lines.KEY_COLUMNS) == set(lines.LINE_COLUMNS)


@pytest.mark.django_db
def test_every_field_written_is_read_back_as_it_was_checked(open_list, dalarna):
    written = [
        line(note="Inkl. röntgen"),
        line(code="ÅTG-1", category="atgard", unit="atgard", clinic="", price="0.50"),
    ]
    with transaction.atomic():
        lines.replace_lines(open_list.pk, dalarna.pk, written)
    stored = PriceItem.objects.filter(price_list=open_list, region=dalarna).order_by("code")
    read = [
        lines.PriceLine(*(str(getattr(item, f)) for f in lines.PriceLine._fields))
        for item in stored
    ]
    assert sorted(read) == sorted(written)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pricing_priceitemevent WHERE pgh_label = 'insert'"
            " AND region_id = %s",
            [dalarna.pk],
        )
        assert cursor.fetchone()[0] == 2
