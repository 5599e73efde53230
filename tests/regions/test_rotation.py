import datetime

import pytest

from regions.rotation import leadership_rotation_propose, rotation_plan
from tests.factories import MembershipFactory, RegionFactory


class R:
    """A stand-in region: the plan needs only a länskod and a name."""

    def __init__(self, code):
        self.scb_code = code
        self.name = f"Region {code}"

    def __repr__(self):
        return self.scb_code


MELLANSVERIGE = [R(c) for c in ("03", "04", "17", "18", "19", "20", "21")]


def _by_code(code):
    return next(r for r in MELLANSVERIGE if r.scb_code == code)


def test_the_chair_passes_to_the_next_region_every_two_years():
    plan = rotation_plan(
        regions=MELLANSVERIGE,
        last_chair_region=_by_code("18"),
        last_chair_first_year=2025,
        period_years=2,
        this_year=2026,
        periods=4,
    )
    assert [(p.label, p.chair_region.scb_code, p.is_current) for p in plan] == [
        ("2025–2026", "18", True),
        ("2027–2028", "19", False),
        ("2029–2030", "20", False),
        ("2031–2032", "21", False),
        ("2033–2034", "03", False),
    ]
    assert all(p.secretary_region is p.chair_region for p in plan)


def test_an_old_chair_is_walked_forward_to_the_period_running_now():
    plan = rotation_plan(
        regions=MELLANSVERIGE,
        last_chair_region=_by_code("03"),
        last_chair_first_year=2019,
        period_years=2,
        this_year=2026,
        periods=1,
    )
    # 2019–20: 03, 2021–22: 04, 2023–24: 17, 2025–26: 18.
    assert [(p.label, p.chair_region.scb_code) for p in plan] == [
        ("2025–2026", "18"),
        ("2027–2028", "19"),
    ]


def test_without_a_chair_the_rotation_starts_next_year_with_the_lowest_lanskod():
    plan = rotation_plan(
        regions=MELLANSVERIGE,
        last_chair_region=None,
        last_chair_first_year=None,
        period_years=2,
        this_year=2026,
        periods=2,
    )
    assert [(p.label, p.chair_region.scb_code, p.is_current) for p in plan] == [
        ("2027–2028", "03", False),
        ("2029–2030", "04", False),
    ]


def test_no_regions_means_no_proposal():
    assert (
        rotation_plan(
            regions=[],
            last_chair_region=None,
            last_chair_first_year=None,
            period_years=2,
            this_year=2026,
            periods=3,
        )
        == []
    )


@pytest.mark.django_db
def test_the_proposal_rotates_among_the_regions_seated_in_the_body(
    board, mellansverige, uppsala, dalarna
):
    RegionFactory(healthcare_region=mellansverige, scb_code="19")  # not seated: not in the rotation
    MembershipFactory(
        body=board, region=uppsala, role="ordforande", starts_on=datetime.date(2025, 1, 1)
    )
    MembershipFactory(body=board, region=dalarna)
    plan = leadership_rotation_propose(board, periods=3, today=datetime.date(2026, 6, 1))
    assert [p.chair_region for p in plan] == [uppsala, dalarna, uppsala, dalarna]
