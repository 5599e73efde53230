"""A price line's list and region are checked as a foreign key would check them.

Migration 0004 replaced the two foreign-key constraints of pricing_priceitem by triggers
that check a whole statement's rows at once. These tests hold the triggers to what the
constraints did: no line without its list and region, no list or region deleted from
under its lines, and the parents locked until the writer's transaction ends.
"""

import pgtrigger
import psycopg
import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from pricing import services
from pricing.models import PriceItem, PriceList
from tests.pricing.factories import line


def _write(price_list, region, *lines):
    services.price_lines_submit(actor=None, price_list=price_list, region=region, lines=list(lines))


def _insert_raw(price_list_id, region_id):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO pricing_priceitem (price_list_id, region_id, hospital, clinic,"
            " category, code, description, unit, price, note)"
            " VALUES (%s, %s, 'Falu lasarett', '', 'analys', 'NPU1', 'Analys', 'analys', 50, '')",
            [price_list_id, region_id],
        )


@pytest.mark.django_db
def test_a_line_of_a_list_that_does_not_exist_is_refused(open_list, dalarna):
    missing = PriceList.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
    with pytest.raises(IntegrityError, match="price_list_id"), transaction.atomic():
        _insert_raw(missing, dalarna.pk)
    assert not PriceItem.objects.exists()


@pytest.mark.django_db
def test_a_line_of_a_region_that_does_not_exist_is_refused(open_list, dalarna):
    with pytest.raises(IntegrityError, match="region_id"), transaction.atomic():
        _insert_raw(open_list.pk, dalarna.pk + 1000)
    assert not PriceItem.objects.exists()


@pytest.mark.django_db
def test_moving_a_line_to_a_region_that_does_not_exist_is_refused(open_list, dalarna):
    _write(open_list, dalarna, line(code="NPU1"))
    with pytest.raises(IntegrityError, match="region_id"), transaction.atomic():
        PriceItem.objects.update(region_id=dalarna.pk + 1000)
    assert list(PriceItem.objects.values_list("region_id", flat=True)) == [dalarna.pk]


@pytest.mark.django_db
def test_a_whole_submission_is_checked_in_one_statement(open_list, dalarna):
    _write(open_list, dalarna, *[line(code=f"K{i}") for i in range(500)])
    assert PriceItem.objects.filter(price_list=open_list, region=dalarna).count() == 500


@pytest.mark.django_db
def test_deleting_a_list_deletes_its_lines_and_a_region_with_lines_is_kept(open_list, dalarna):
    _write(open_list, dalarna, line(code="NPU1"))
    with pytest.raises(ProtectedError):
        dalarna.delete()
    open_list.delete()
    assert not PriceItem.objects.exists()


@pytest.mark.django_db
def test_the_database_refuses_to_delete_a_list_or_region_that_lines_point_at(open_list, dalarna):
    _write(open_list, dalarna, line(code="NPU1"))
    for table, pk in (("pricing_pricelist", open_list.pk), ("regions_region", dalarna.pk)):
        with (
            pytest.raises(IntegrityError, match='on table "pricing_priceitem"'),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [pk])  # noqa: S608 (fixed names)
    assert PriceItem.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_writer_holds_its_list_and_region_until_it_commits(open_list, dalarna):
    """As a foreign key's check does: another session cannot delete them meanwhile."""
    settings = connection.settings_dict
    other = psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        dbname=settings["NAME"],
        autocommit=True,
    )
    try:
        with transaction.atomic():
            _write(open_list, dalarna, line(code="NPU1"))
            for table, pk in (("pricing_pricelist", open_list.pk), ("regions_region", dalarna.pk)):
                with pytest.raises(psycopg.errors.LockNotAvailable), other.transaction():
                    other.execute("SET LOCAL lock_timeout = '200ms'")
                    other.execute(f"DELETE FROM {table} WHERE id = %s", [pk])  # noqa: S608
        # Committed: the lines are seen, and the delete is refused rather than blocked.
        with (
            pytest.raises(psycopg.errors.ForeignKeyViolation, match="pricing_priceitem"),
            other.transaction(),
        ):
            other.execute("DELETE FROM regions_region WHERE id = %s", [dalarna.pk])
    finally:
        other.close()
    assert PriceItem.objects.count() == 1


PARENT_CHECKS = {
    ("pricing_priceitem", "parents_on_insert"),
    ("pricing_priceitem", "parents_on_update"),
    ("pricing_pricelist", "refuse_delete_with_price_lines"),
    ("regions_region", "refuse_delete_with_price_lines"),
}


@pytest.mark.django_db
def test_the_database_has_the_parent_checks_the_models_declare_and_no_others():
    declared = {
        (model._meta.db_table, trigger.name): trigger.get_pgid(model)
        for model, trigger in pgtrigger.registered()
        if trigger.name in {name for _table, name in PARENT_CHECKS}
    }
    assert set(declared) == PARENT_CHECKS
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE NOT t.tgisinternal AND c.relname = ANY(%s)",
            [sorted({table for table, _name in PARENT_CHECKS})],
        )
        installed = set(cursor.fetchall())
    for (table, _name), pgid in declared.items():
        assert (table, pgid) in installed
    # Migration 0004's hand-written triggers are gone, not doubled.
    assert not {name for _table, name in installed if name.startswith("pricing_priceitem_")}
