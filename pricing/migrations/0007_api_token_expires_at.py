import datetime

from django.db import migrations, models
from django.db.models import F


def existing_keys_expire_90_days_after_they_were_made(apps, schema_editor):
    # Keys made before keys expired get the default lifetime from when they were made;
    # one older than that expires now and must be made again.
    ApiToken = apps.get_model("pricing", "ApiToken")
    ApiToken.objects.filter(expires_at__isnull=True).update(
        expires_at=F("created_at") + datetime.timedelta(days=90))


class Migration(migrations.Migration):

    dependencies = [
        ("pricing", "0006_price_item_code_index_serves_the_comparison"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="giltig till"),
        ),
        migrations.RunPython(existing_keys_expire_90_days_after_they_were_made,
                             migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="giltig till"),
        ),
        migrations.AddConstraint(
            model_name="apitoken",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    expires_at__lte=models.F("created_at") + datetime.timedelta(days=366)),
                name="apitoken_expires_within_a_year"),
        ),
    ]
