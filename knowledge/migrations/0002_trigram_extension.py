from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    """pg_trgm: the search falls back to trigram similarity, because Swedish stemming does
    not split compounds ("kirurgi" inside "plastikkirurgi")."""

    dependencies = [("knowledge", "0001_initial")]

    operations = [TrigramExtension()]
