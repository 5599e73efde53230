"""The demo price lists: read through the real upload, decided 2023 and 2024, 2025 open."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from pricing.models import PriceItem, PriceList, PriceSubmission

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("loaddata", "regions.yaml", "governance.yaml", verbosity=0)
    call_command("load_demo_pricing", verbosity=0)


def test_mellansverige_has_three_demo_lists_in_the_states_the_issue_asks(demo):
    lists = {
        pl.year: pl for pl in PriceList.objects.filter(healthcare_region__slug="mellansverige")
    }
    assert {y: pl.state for y, pl in lists.items()} == {
        2023: "beslutad",
        2024: "beslutad",
        2025: "insamling",
    }
    assert lists[2024].decision.pk == 2
    assert lists[2023].decision.title == "Sjukvårdsregional prislista 2023"
    assert all(pl.is_demo for pl in lists.values())
    assert PriceSubmission.objects.filter(price_list=lists[2023], status="gallande").count() == 7
    assert PriceSubmission.objects.filter(price_list=lists[2025]).count() == 4


def test_the_2023_point_price_is_74_750_kr_for_every_hospital(demo):
    prices = PriceItem.objects.filter(price_list__year=2023, category="drg")
    assert {p.price for p in prices} == {Decimal("74750.00")}
    assert {p.hospital for p in prices} >= {
        "Akademiska sjukhuset",
        "Falu lasarett",
        "Universitetssjukhuset Örebro",
        "Gävle sjukhus",
    }
    visits = PriceItem.objects.filter(category="lakarbesok").values_list("price", flat=True)
    assert 1000 <= min(visits) and max(visits) <= 4500


def test_loading_twice_changes_nothing(demo):
    before = PriceItem.objects.count()
    call_command("load_demo_pricing", verbosity=0)
    assert PriceItem.objects.count() == before


def test_the_public_sees_the_decided_demo_lists(demo, client):
    page = client.get(reverse("pricing:section", kwargs={"hr": "mellansverige"})).content.decode()
    assert "Prislista 2024" in page
    assert "Prislista 2025" not in page
