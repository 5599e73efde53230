"""Price lines' list and region are checked once per statement, not once per row.

A foreign-key constraint checks each inserted row on its own (a query and a row lock
each): for a submission of 100 000 lines, 200 000 checks and a third of the time of
writing it. The constraints give way to triggers that do the same work set-wise:

- after each INSERT and each UPDATE of pricing_priceitem, a statement trigger looks at
  the distinct lists and regions of the rows it wrote (a transition table), locks them
  FOR KEY SHARE, as a foreign key's check does, so that neither can be deleted before
  the transaction ends, and raises foreign_key_violation (23503, IntegrityError in
  Django) if one is missing;
- before a price list or a region is deleted, a row trigger refuses while price lines
  still point at it (Django's collector has deleted a list's lines by then: CASCADE;
  a region with lines is PROTECTed there too). It runs once the row is locked, so a
  writer holding the lock commits first and its lines are seen.
"""

import django.db.models.deletion
from django.db import migrations, models


# Each parent: the distinct keys of the statement's rows, each locked FOR KEY SHARE.
PARENTS = (("price_list_id", "pricing_pricelist"), ("region_id", "regions_region"))
CHECK_PARENT = """
    SELECT w.id INTO missing
      FROM (SELECT DISTINCT {column} AS id FROM new_rows) w
     WHERE NOT EXISTS (SELECT 1 FROM {table} p WHERE p.id = w.id FOR KEY SHARE)
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'insert or update on table "pricing_priceitem" violates foreign key'
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = format('Key ({column})=(%s) is not present in table "{table}".', missing);
    END IF;"""

CHECK_PARENTS = """
CREATE FUNCTION pricing_priceitem_check_parents() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    missing bigint;
BEGIN""" + "".join(CHECK_PARENT.format(column=c, table=t) for c, t in PARENTS) + """
    RETURN NULL;
END
$$;

CREATE TRIGGER pricing_priceitem_parents_on_insert
    AFTER INSERT ON pricing_priceitem REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION pricing_priceitem_check_parents();
CREATE TRIGGER pricing_priceitem_parents_on_update
    AFTER UPDATE ON pricing_priceitem REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION pricing_priceitem_check_parents();

CREATE FUNCTION pricing_priceitem_parent_in_use() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'pricing_pricelist' THEN
        PERFORM 1 FROM pricing_priceitem WHERE price_list_id = OLD.id LIMIT 1;
    ELSE
        PERFORM 1 FROM pricing_priceitem WHERE region_id = OLD.id LIMIT 1;
    END IF;
    IF FOUND THEN
        RAISE EXCEPTION 'update or delete on table "%" violates foreign key on table "pricing_priceitem"', TG_TABLE_NAME
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = format('Key (id)=(%s) is still referenced from table "pricing_priceitem".', OLD.id);
    END IF;
    RETURN OLD;
END
$$;

CREATE TRIGGER pricing_priceitem_parent_in_use
    BEFORE DELETE ON pricing_pricelist
    FOR EACH ROW EXECUTE FUNCTION pricing_priceitem_parent_in_use();
CREATE TRIGGER pricing_priceitem_parent_in_use
    BEFORE DELETE ON regions_region
    FOR EACH ROW EXECUTE FUNCTION pricing_priceitem_parent_in_use();
"""

DROP_CHECKS = """
DROP TRIGGER pricing_priceitem_parent_in_use ON regions_region;
DROP TRIGGER pricing_priceitem_parent_in_use ON pricing_pricelist;
DROP FUNCTION pricing_priceitem_parent_in_use();
DROP TRIGGER pricing_priceitem_parents_on_update ON pricing_priceitem;
DROP TRIGGER pricing_priceitem_parents_on_insert ON pricing_priceitem;
DROP FUNCTION pricing_priceitem_check_parents();
"""


class Migration(migrations.Migration):

    dependencies = [
        ('pricing', '0003_price_item_list_index_in_unique_line'),
        ('regions', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='priceitem',
            name='price_list',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='items', to='pricing.pricelist', verbose_name='prislista'),
        ),
        migrations.AlterField(
            model_name='priceitem',
            name='region',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='price_items', to='regions.region', verbose_name='region'),
        ),
        migrations.RunSQL(CHECK_PARENTS, DROP_CHECKS),
    ]
