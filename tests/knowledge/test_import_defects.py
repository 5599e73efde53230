"""Issue 11 in the indicator upload: CR-only CSV and an over-long field gave a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from knowledge.models import IndicatorValue
from tests.knowledge.factories import IndicatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator(mellansverige):
    return IndicatorFactory(goal__healthcare_region=mellansverige)


def _upload(client, indicator, name, content):
    return client.post(
        reverse("knowledge:indicator_upload", kwargs={"hr": "mellansverige", "pk": indicator.pk}),
        {"file": SimpleUploadedFile(name, content)},
    )


def test_a_csv_with_carriage_return_only_line_endings_is_read(
    client, kansli, indicator, uppsala, dalarna
):
    client.force_login(kansli)
    content = "region;år;värde\r03;2023;71,5\rRegion Dalarna;2023;68\r".encode("cp1252")
    assert _upload(client, indicator, "varden.csv", content).status_code == 302
    assert IndicatorValue.objects.count() == 2


def test_a_stray_quote_that_makes_a_field_too_long_is_named_and_nothing_is_written(
    client, kansli, indicator, uppsala
):
    client.force_login(kansli)
    rows = ["region;år;värde", '03;"2023;71,5'] + [
        f"03;{1990 + i % 100};{i},5" for i in range(10_000)
    ]
    response = _upload(client, indicator, "varden.csv", "\n".join(rows).encode())
    assert response.status_code == 200
    assert "citattecken" in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_title_rows_above_the_header_are_skipped(client, kansli, indicator, uppsala):
    client.force_login(kansli)
    content = "Värden 2023\n\nregion;år;värde\n03;2023;71,5\n".encode()
    assert _upload(client, indicator, "varden.csv", content).status_code == 302
    assert str(IndicatorValue.objects.get().value) == "71.50"
