"""Builders of price lists and their lines, shared by the fixtures and the permission table."""

import datetime

from pricing import services
from pricing.lines import PriceLine
from pricing.models import PriceList
from tests.factories import DecisionFactory

HEADER = "Region;Sjukhus;Klinik/verksamhet;Kategori;Kod;Benämning;Enhet;Pris (kr);Anmärkning"


def line(
    hospital="Falu lasarett",
    code="LB-KARD",
    price="2850.00",
    *,
    clinic="Kardiologi",
    category="lakarbesok",
    description="Läkarbesök, kardiologi",
    unit="besok",
    note="",
):
    return PriceLine(hospital, clinic, category, code, description, unit, price, note)


def csv_bytes(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode(encoding)


def make_decided_list(healthcare_region, meeting, uppsala, dalarna, year=2024):
    price_list = services.price_list_create(
        actor=None, healthcare_region=healthcare_region, year=year
    )
    services.price_lines_submit(
        actor=None,
        price_list=price_list,
        region=dalarna,
        lines=[
            line(price="2500.00"),
            line(
                code="DRG",
                category="drg",
                unit="poang",
                clinic="",
                description="DRG-poäng",
                price="72000.00",
            ),
        ],
    )
    services.price_lines_submit(
        actor=None,
        price_list=price_list,
        region=uppsala,
        lines=[line("Akademiska sjukhuset", price="3100.00")],
    )
    for state in (PriceList.State.CLOSED, PriceList.State.COMPILED):
        services.price_list_transition(actor=None, price_list=price_list, state=state)
    decision = DecisionFactory(meeting=meeting, title=f"Sjukvårdsregional prislista {year}")
    return services.price_list_transition(
        actor=None, price_list=price_list, state=PriceList.State.DECIDED, decision=decision
    )


def make_open_list(healthcare_region, year=2025):
    return services.price_list_create(
        actor=None,
        healthcare_region=healthcare_region,
        year=year,
        deadline=datetime.date(2024, 10, 31),
    )
