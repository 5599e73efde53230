"""The pipeline's models moved from `samverkan` to `documents` without copying a row."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from documents.models import DocumentState, GeneratedDocument
from tests.factories import HealthcareRegionFactory


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_moving_the_documents_app_keeps_its_rows_and_content_type_ids():
    subject = HealthcareRegionFactory()
    document = GeneratedDocument.objects.create(
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        kind="test.plain",
        state=DocumentState.QUEUED,
    )
    content_type = ContentType.objects.get_for_model(GeneratedDocument)
    assert content_type.app_label == "documents"

    _migrate([("documents", None)])  # as before the move: the models in `samverkan`
    moved_back = ContentType.objects.get(pk=content_type.pk)
    assert (moved_back.app_label, moved_back.model) == ("samverkan", "generateddocument")
    with connection.cursor() as cursor:
        cursor.execute("SELECT kind FROM samverkan_generateddocument WHERE id = %s", [document.pk])
        assert cursor.fetchone() == ("test.plain",)

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()
    assert ContentType.objects.get_for_model(GeneratedDocument).pk == content_type.pk
    assert GeneratedDocument.objects.get(pk=document.pk).subject == subject
