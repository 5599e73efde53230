"""Proposed rotation of ordförande and sekreterare between the regions.

The seeds describe it for Sydöstra's Samverkansnämnd and Regionsjukvårdsledningen:
"Ansvaret för ordförandeskap och sekreterare roterar mellan regionerna i
tvåårsperioder". The region that holds the chair for a period also provides the
secretary; the next period passes both to the next region in länskod order.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from regions.models import Body, Membership, Region


@dataclass(frozen=True)
class RotationPeriod:
    first_year: int
    last_year: int
    chair_region: Region
    secretary_region: Region
    is_current: bool

    @property
    def label(self) -> str:
        return f"{self.first_year}–{self.last_year}"


def rotation_plan(
    *,
    regions: list[Region],
    last_chair_region: Region | None,
    last_chair_first_year: int | None,
    period_years: int,
    this_year: int,
    periods: int,
) -> list[RotationPeriod]:
    """The current period (if a chair is known) followed by `periods` coming ones.

    Pure: the regions in rotation order, the region and first year of the latest
    chair's period, and the length of a period.
    """
    if not regions:
        return []
    order = sorted(regions, key=lambda r: r.scb_code)
    if last_chair_region is None or last_chair_region not in order:
        index, first_year = -1, this_year + 1 - period_years
    else:
        index, first_year = order.index(last_chair_region), last_chair_first_year
    # Walk forward from the latest known period to the one running now.
    while first_year + period_years <= this_year:
        index, first_year = index + 1, first_year + period_years
    result = []
    if index >= 0 and first_year <= this_year:
        region = order[index % len(order)]
        result.append(
            RotationPeriod(first_year, first_year + period_years - 1, region, region, True)
        )
    for step in range(1, periods + 1):
        region = order[(index + step) % len(order)]
        start = first_year + step * period_years
        result.append(RotationPeriod(start, start + period_years - 1, region, region, False))
    return result


def leadership_rotation_propose(
    body: Body, *, periods: int = 4, today: datetime.date | None = None
) -> list[RotationPeriod]:
    """Propose who holds ordförande and sekreterare in the body's coming periods."""
    today = today or timezone.localdate()
    current = Membership.objects.filter(body=body, starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )
    region_ids = set(current.values_list("region_id", flat=True))
    regions = list(
        Region.objects.filter(pk__in=region_ids)
        if region_ids
        else Region.objects.filter(healthcare_region_id=body.healthcare_region_id)
    )
    last_chair = (
        Membership.objects.filter(body=body, role=Membership.Role.CHAIR, starts_on__lte=today)
        .select_related("region")
        .order_by("-starts_on")
        .first()
    )
    return rotation_plan(
        regions=regions,
        last_chair_region=last_chair.region if last_chair else None,
        last_chair_first_year=last_chair.starts_on.year if last_chair else None,
        period_years=body.rotation_years,
        this_year=today.year,
        periods=periods,
    )
