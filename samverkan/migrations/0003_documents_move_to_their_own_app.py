# The document pipeline's models moved to the `documents` app. Their tables stay as they
# are (documents.0001 takes them over in Django's state only), so nothing is copied and
# every row, and every content type id pointing at them, stays the same.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("samverkan", "0002_document_parts"),
        ("documents", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="DocumentPart"),
                migrations.DeleteModel(name="GeneratedDocument"),
            ],
            database_operations=[],
        ),
    ]
