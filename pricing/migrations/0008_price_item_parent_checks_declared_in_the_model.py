# The statement-level checks of a price line's list and region, written by hand in 0004,
# are now declared in the models (PriceItem.Meta.triggers, PriceList's and
# RegionOfPriceLines'): 0004's triggers and functions give way to pgtrigger's, which do
# the same work. Backwards, 0004's come back.

from importlib import import_module

import pgtrigger.compiler
import pgtrigger.migrations

from django.db import migrations

hand_written = import_module("pricing.migrations.0004_price_item_parents_checked_per_statement")


class Migration(migrations.Migration):

    dependencies = [
        ('pricing', '0007_api_token_expires_at'),
        ('regions', '0001_initial'),
    ]

    operations = [
        migrations.RunSQL(hand_written.DROP_CHECKS, hand_written.CHECK_PARENTS),
        migrations.CreateModel(
            name='RegionOfPriceLines',
            fields=[
            ],
            options={
                'proxy': True,
                'default_permissions': (),
                'indexes': [],
                'constraints': [],
            },
            bases=('regions.region',),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='priceitem',
            trigger=pgtrigger.compiler.Trigger(name='parents_on_insert', sql=pgtrigger.compiler.UpsertTriggerSql(declare='DECLARE missing bigint;', func='\n    SELECT w.id INTO missing\n      FROM (SELECT DISTINCT price_list_id AS id FROM new_rows) w\n     WHERE NOT EXISTS (SELECT 1 FROM pricing_pricelist p WHERE p.id = w.id FOR KEY SHARE)\n     LIMIT 1;\n    IF FOUND THEN\n        RAISE EXCEPTION \'insert or update on table "pricing_priceitem" violates foreign key\'\n            USING ERRCODE = \'foreign_key_violation\',\n                  DETAIL = format(\'Key (price_list_id)=(%s) is not present in table "pricing_pricelist".\', missing);\n    END IF;\n    SELECT w.id INTO missing\n      FROM (SELECT DISTINCT region_id AS id FROM new_rows) w\n     WHERE NOT EXISTS (SELECT 1 FROM regions_region p WHERE p.id = w.id FOR KEY SHARE)\n     LIMIT 1;\n    IF FOUND THEN\n        RAISE EXCEPTION \'insert or update on table "pricing_priceitem" violates foreign key\'\n            USING ERRCODE = \'foreign_key_violation\',\n                  DETAIL = format(\'Key (region_id)=(%s) is not present in table "regions_region".\', missing);\n    END IF;\n    RETURN NULL;', hash='181db490640866c6cbc961e331a69ecefc4d0d67', level='STATEMENT', operation='INSERT', pgid='pgtrigger_parents_on_insert_ccb02', referencing='REFERENCING NEW TABLE AS new_rows ', table='pricing_priceitem', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='priceitem',
            trigger=pgtrigger.compiler.Trigger(name='parents_on_update', sql=pgtrigger.compiler.UpsertTriggerSql(declare='DECLARE missing bigint;', func='\n    SELECT w.id INTO missing\n      FROM (SELECT DISTINCT price_list_id AS id FROM new_rows) w\n     WHERE NOT EXISTS (SELECT 1 FROM pricing_pricelist p WHERE p.id = w.id FOR KEY SHARE)\n     LIMIT 1;\n    IF FOUND THEN\n        RAISE EXCEPTION \'insert or update on table "pricing_priceitem" violates foreign key\'\n            USING ERRCODE = \'foreign_key_violation\',\n                  DETAIL = format(\'Key (price_list_id)=(%s) is not present in table "pricing_pricelist".\', missing);\n    END IF;\n    SELECT w.id INTO missing\n      FROM (SELECT DISTINCT region_id AS id FROM new_rows) w\n     WHERE NOT EXISTS (SELECT 1 FROM regions_region p WHERE p.id = w.id FOR KEY SHARE)\n     LIMIT 1;\n    IF FOUND THEN\n        RAISE EXCEPTION \'insert or update on table "pricing_priceitem" violates foreign key\'\n            USING ERRCODE = \'foreign_key_violation\',\n                  DETAIL = format(\'Key (region_id)=(%s) is not present in table "regions_region".\', missing);\n    END IF;\n    RETURN NULL;', hash='4562ec57298199272c0e264fb6f01d3d93c7ca31', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_parents_on_update_eb84e', referencing='REFERENCING NEW TABLE AS new_rows ', table='pricing_priceitem', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='pricelist',
            trigger=pgtrigger.compiler.Trigger(name='refuse_delete_with_price_lines', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    PERFORM 1 FROM pricing_priceitem WHERE price_list_id = OLD.id LIMIT 1;\n    IF FOUND THEN\n        RAISE EXCEPTION \'update or delete on table "%" violates foreign key on table "pricing_priceitem"\', TG_TABLE_NAME\n            USING ERRCODE = \'foreign_key_violation\',\n                  DETAIL = format(\'Key (id)=(%s) is still referenced from table "pricing_priceitem".\', OLD.id);\n    END IF;\n    RETURN OLD;', hash='314ba621492dab5c3455ae2cdbe6253a205951ef', operation='DELETE', pgid='pgtrigger_refuse_delete_with_price_lines_17af7', table='pricing_pricelist', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='regionofpricelines',
            trigger=pgtrigger.compiler.Trigger(name='refuse_delete_with_price_lines', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    PERFORM 1 FROM pricing_priceitem WHERE region_id = OLD.id LIMIT 1;\n    IF FOUND THEN\n        RAISE EXCEPTION \'update or delete on table "%" violates foreign key on table "pricing_priceitem"\', TG_TABLE_NAME\n            USING ERRCODE = \'foreign_key_violation\',\n                  DETAIL = format(\'Key (id)=(%s) is still referenced from table "pricing_priceitem".\', OLD.id);\n    END IF;\n    RETURN OLD;', hash='262f62c8d9a45d5c04fcaa999bf6521e4ffa1949', operation='DELETE', pgid='pgtrigger_refuse_delete_with_price_lines_63a70', table='regions_region', when='BEFORE')),
        ),
    ]
