"""Price lists on top of the shared two sjukvårdsregioner.

`open_list` is Mellansverige's 2025 list with collection open; `decided_list` its
2024 list, decided at a published meeting, with a line for Uppsala and Dalarna.
"""

import datetime

import pytest

from pricing import services
from pricing.imports import PriceLine
from pricing.models import PriceList
from tests.factories import DecisionFactory

HEADER = "Region;Sjukhus;Klinik/verksamhet;Kategori;Kod;Benämning;Enhet;Pris (kr);Anmärkning"


def line(hospital="Falu lasarett", code="LB-KARD", price="2850.00", *, clinic="Kardiologi",
         category="lakarbesok", description="Läkarbesök, kardiologi", unit="besok", note=""):
    return PriceLine(hospital, clinic, category, code, description, unit, price, note)


def csv_bytes(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode(encoding)


@pytest.fixture
def decided_list(mellansverige, published_meeting, uppsala, dalarna):
    price_list = services.price_list_create(actor=None, healthcare_region=mellansverige, year=2024)
    services.price_lines_submit(actor=None, price_list=price_list, region=dalarna, lines=[
        line(price="2500.00"), line(code="DRG", category="drg", unit="poang", clinic="",
                                    description="DRG-poäng", price="72000.00")])
    services.price_lines_submit(actor=None, price_list=price_list, region=uppsala, lines=[
        line("Akademiska sjukhuset", price="3100.00")])
    for state in (PriceList.State.CLOSED, PriceList.State.COMPILED):
        services.price_list_transition(actor=None, price_list=price_list, state=state)
    decision = DecisionFactory(meeting=published_meeting, title="Sjukvårdsregional prislista 2024")
    return services.price_list_transition(actor=None, price_list=price_list,
                                          state=PriceList.State.DECIDED, decision=decision)


@pytest.fixture
def open_list(mellansverige, uppsala, dalarna):
    return services.price_list_create(actor=None, healthcare_region=mellansverige, year=2025,
                                      deadline=datetime.date(2024, 10, 31))
