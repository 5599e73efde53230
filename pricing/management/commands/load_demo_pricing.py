"""Demo price lists of Sjukvårdsregion Mellansverige, 2023–2025, read through the real upload.

Each region's file in fixtures/pricing/ (made by fixtures/pricing/generate.py; demo
figures apart from the 2023 point price of 74 750 kr) is staged and confirmed exactly
as a price contact's upload is. 2023 and 2024 are decided (2024 by the demo decision
"Sjukvårdsregional prislista 2024", § 52 on 2023-12-08); 2025 is open for collection
and four of the seven regions have submitted. The decided lists get their PDF, XLSX
and CSV rendered here, without a worker. Run by `load_demo`; skips lists that exist.
"""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from pricing import services
from pricing.models import PriceList
from regions import services as region_services
from regions.models import Body, Decision, HealthcareRegion, Meeting, Region, RoleGroup, User

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "pricing"
SUBMITTED_2025 = ("03", "17", "18", "19")


def _decision_2023(healthcare_region) -> Decision:
    existing = Decision.objects.filter(
        meeting__body__healthcare_region=healthcare_region, title="Sjukvårdsregional prislista 2023"
    ).first()
    if existing:
        return existing
    board = Body.objects.get(healthcare_region=healthcare_region, kind=Body.Kind.BOARD)
    meeting = Meeting.objects.filter(
        body=board, date=datetime.date(2022, 12, 9)
    ).first() or region_services.meeting_create(
        actor=None,
        body=board,
        date=datetime.date(2022, 12, 9),
        place="Uppsala",
        title="Samverkansnämndens sammanträde",
    )
    if not meeting.is_published:
        Meeting.objects.filter(pk=meeting.pk).update(is_published=True)
    return region_services.decision_create(
        actor=None,
        meeting=meeting,
        title="Sjukvårdsregional prislista 2023",
        text="Samverkansnämnden fastställer den sjukvårdsregionala prislistan för 2023 (demodata).",
    )


class Command(BaseCommand):
    help = "Läser in demoprislistor för Sjukvårdsregion Mellansverige 2023–2025."

    def handle(self, *args, **options):
        healthcare_region = HealthcareRegion.objects.filter(slug="mellansverige").first()
        if healthcare_region is None:
            return
        contacts = {
            rg.region.scb_code: rg.group.user_set.first()
            for rg in RoleGroup.objects.filter(
                role=RoleGroup.Role.PRICE_CONTACT, region__healthcare_region=healthcare_region
            ).select_related("region", "group")
        }
        regions = {
            r.scb_code: r for r in Region.objects.filter(healthcare_region=healthcare_region)
        }
        decisions = {
            2023: lambda: _decision_2023(healthcare_region),
            2024: lambda: Decision.objects.get(pk=2),
        }
        count = 0
        for year in (2023, 2024, 2025):
            if PriceList.objects.filter(healthcare_region=healthcare_region, year=year).exists():
                continue
            with transaction.atomic():
                deadline = (
                    timezone.localdate() + datetime.timedelta(days=21)
                    if year == 2025
                    else datetime.date(year - 1, 10, 31)
                )
                price_list = services.price_list_create(
                    actor=None,
                    healthcare_region=healthcare_region,
                    year=year,
                    deadline=deadline,
                    is_demo=True,
                    note="Demosiffror: bara poängpriset 74 750 kr för 2023 är "
                    "verkligt; övriga priser är påhittade.",
                )
                for scb, region in sorted(regions.items()):
                    if year == 2025 and scb not in SUBMITTED_2025:
                        continue
                    path = FIXTURES / f"mellansverige-{year}-{scb}.csv"
                    if not path.exists():
                        continue
                    actor = contacts.get(scb) or User.objects.filter(is_superuser=True).first()
                    submission, lines = services.price_submission_stage(
                        actor=actor,
                        price_list=price_list,
                        region=region,
                        filename=path.name,
                        data=path.read_bytes(),
                    )
                    services.price_submission_confirm(actor=actor, submission=submission)
                    count += len(lines)
                if year < 2025:
                    for state in (PriceList.State.CLOSED, PriceList.State.COMPILED):
                        services.price_list_transition(
                            actor=None, price_list=price_list, state=state, render_now=True
                        )
                    # The decided PDF reuses every part of the compiled one but the front page.
                    services.price_list_transition(
                        actor=None,
                        price_list=price_list,
                        state=PriceList.State.DECIDED,
                        decision=decisions[year](),
                        render_now=True,
                    )
        if options["verbosity"] > 1:
            self.stdout.write(f"{count} demoprisrader inlästa.")
