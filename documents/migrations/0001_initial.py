# The document pipeline's models, moved here from the `samverkan` app. The tables were
# made by samverkan.0001 and 0002 and keep their names (Meta.db_table): this migration
# takes them over in Django's state only, and moves their content types to this app,
# so the ids that point at them (admin log, permissions) keep pointing at them.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


MODELS = ("generateddocument", "documentpart")


def _relabel(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def move_content_types(apps, schema_editor):
    _relabel(apps, "samverkan", "documents")


def move_content_types_back(apps, schema_editor):
    _relabel(apps, "documents", "samverkan")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('samverkan', '0002_document_parts'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(move_content_types, move_content_types_back),
        migrations.SeparateDatabaseAndState(database_operations=[], state_operations=[
        migrations.CreateModel(
            name='DocumentPart',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sha256', models.CharField(max_length=64, unique=True, verbose_name='kontrollsumma för HTML (SHA-256)')),
                ('label', models.CharField(blank=True, max_length=300, verbose_name='avsnitt')),
                ('html', models.TextField(blank=True, help_text='Tömd när avsnittet är skapat.', verbose_name='HTML')),
                ('file', models.FileField(blank=True, max_length=300, upload_to='', verbose_name='fil')),
                ('pages', models.PositiveIntegerField(blank=True, null=True, verbose_name='sidor')),
                ('outline', models.JSONField(blank=True, default=list, help_text='[nivå, rubrik, sida i avsnittet, läge] per rubrik', verbose_name='bokmärken')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='skapad')),
                ('rendered_at', models.DateTimeField(blank=True, null=True, verbose_name='klar')),
            ],
            options={
                'verbose_name': 'dokumentavsnitt',
                'verbose_name_plural': 'dokumentavsnitt',
                'db_table': 'samverkan_documentpart',
                'constraints': [models.CheckConstraint(condition=models.Q(('rendered_at__isnull', True), models.Q(models.Q(('file', ''), _negated=True), ('pages__gte', 1)), _connector='OR'), name='docpart_rendered_has_file')],
            },
        ),
        migrations.CreateModel(
            name='GeneratedDocument',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('subject_id', models.PositiveBigIntegerField()),
                ('kind', models.CharField(max_length=60, verbose_name='slag')),
                ('state', models.CharField(choices=[('koad', 'Köad'), ('pagar', 'Pågår'), ('klar', 'Klar'), ('misslyckad', 'Misslyckad')], default='koad', max_length=12, verbose_name='status')),
                ('reason', models.TextField(blank=True, verbose_name='orsak')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='försök')),
                ('is_snapshot', models.BooleanField(default=False, help_text='Gjord när handlingen beslutades; den publicerade versionen.', verbose_name='beslutad version')),
                ('filename', models.CharField(blank=True, max_length=200, verbose_name='filnamn')),
                ('file', models.FileField(blank=True, max_length=300, upload_to='', verbose_name='fil')),
                ('size', models.PositiveIntegerField(blank=True, null=True, verbose_name='storlek i byte')),
                ('sha256', models.CharField(blank=True, max_length=64, verbose_name='kontrollsumma (SHA-256)')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='beställd')),
                ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='påbörjad')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='klar')),
                ('parts', models.JSONField(blank=True, default=list, verbose_name='avsnitt')),
                ('parts_done', models.PositiveIntegerField(default=0, verbose_name='klara avsnitt')),
                ('requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='beställd av')),
                ('subject_type', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contenttypes.contenttype')),
            ],
            options={
                'verbose_name': 'genererat dokument',
                'verbose_name_plural': 'genererade dokument',
                'db_table': 'samverkan_generateddocument',
                'ordering': ['-created_at', '-pk'],
                'indexes': [models.Index(fields=['subject_type', 'subject_id', 'kind', '-created_at'], name='gendoc_subject_kind')],
                'constraints': [models.CheckConstraint(condition=models.Q(('state__in', ['koad', 'pagar', 'klar', 'misslyckad'])), name='gendoc_state_valid'), models.CheckConstraint(condition=models.Q(models.Q(('state', 'klar'), _negated=True), models.Q(models.Q(('file', ''), _negated=True), ('sha256__regex', '^[0-9a-f]{64}$')), _connector='OR'), name='gendoc_done_has_file'), models.CheckConstraint(condition=models.Q(models.Q(('state', 'misslyckad'), _negated=True), models.Q(('reason', ''), _negated=True), _connector='OR'), name='gendoc_failed_has_reason')],
            },
        ),
    ]),
    ]
