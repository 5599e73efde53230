"""Reads of price lists, and every access check of the pricing pages.

Who reads what:
- a decided or published list, with every region's lines, is public;
- a list still being collected or compiled is read by the sjukvårdsregion's insiders
  (kansli, nämnd: view_internal) and by the price contacts of its regions;
- one region's lines and submissions in such a list only by the insiders and that
  region's price contacts: `lines_visible` is that rule for lines, and every page,
  export and figure built from lines (comparison, code list, changes, counts) reads
  through it, so a figure never shows more than the page of the lines it comes from;
- uploading needs submit_prices on the region while collection is open; changing a
  list's state needs manage_price_lists.

As elsewhere, what a user may not read answers 404 and what they may read but not
change answers 403.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from pricing.lines import PriceLine
from pricing.models import PriceItem, PriceList, PriceSubmission
from regions import permissions
from regions.models import HealthcareRegion, Region, RoleGroup, User
from regions.selectors import permissions_for_user

FLAG_PERCENT = Decimal("20")


def _regions(healthcare_region: HealthcareRegion) -> list[Region]:
    cached = getattr(healthcare_region, "_pricing_regions", None)
    if cached is None:
        cached = list(Region.objects.filter(healthcare_region=healthcare_region))
        healthcare_region._pricing_regions = cached
    return cached


def is_insider(user, healthcare_region: HealthcareRegion) -> bool:
    return permissions_for_user(user).has_healthcare_region_perm(
        permissions.VIEW_INTERNAL, healthcare_region.pk
    )


def can_manage(user, healthcare_region: HealthcareRegion) -> bool:
    return permissions_for_user(user).has_healthcare_region_perm(
        permissions.MANAGE_PRICE_LISTS, healthcare_region.pk
    )


def submit_regions(user, healthcare_region: HealthcareRegion) -> list[Region]:
    """The regions of the sjukvårdsregion the user submits prices for."""
    perms = permissions_for_user(user)
    if not perms.regions and not perms.is_superuser:
        return []
    return [
        r
        for r in _regions(healthcare_region)
        if perms.has_region_perm(permissions.SUBMIT_PRICES, r.pk)
    ]


def reads_unpublished(user, healthcare_region: HealthcareRegion) -> bool:
    """Whether the user reads lists still being collected: insiders and price contacts."""
    return is_insider(user, healthcare_region) or bool(submit_regions(user, healthcare_region))


def reads_region_draft(user, healthcare_region: HealthcareRegion, region: Region) -> bool:
    return is_insider(user, healthcare_region) or permissions_for_user(user).has_region_perm(
        permissions.SUBMIT_PRICES, region.pk
    )


def price_lists_visible(user, healthcare_region: HealthcareRegion) -> QuerySet[PriceList]:
    lists = PriceList.objects.filter(healthcare_region=healthcare_region)
    if not reads_unpublished(user, healthcare_region):
        lists = lists.filter(state__in=PriceList.PUBLIC_STATES)
    return lists


def lines_visible(user, healthcare_region: HealthcareRegion) -> QuerySet[PriceItem]:
    """Every price line of the sjukvårdsregion the user may read: all of a decided or
    published list; of a list not yet public, every region's for the insiders and a
    price contact's own region's. The one rule for lines (see the module's docstring)."""
    items = PriceItem.objects.filter(price_list__healthcare_region=healthcare_region)
    if is_insider(user, healthcare_region):
        return items
    return items.filter(_readable_lines(user, healthcare_region))


def _readable_lines(user, healthcare_region: HealthcareRegion, prefix: str = "") -> Q:
    """lines_visible's rule for a user who is not an insider, as a filter on PriceItem
    (or, with prefix "items__", on PriceList through its lines)."""
    public = Q(**{f"{prefix}price_list__state__in": PriceList.PUBLIC_STATES})
    own = [region.pk for region in submit_regions(user, healthcare_region)]
    return public | Q(**{f"{prefix}region__in": own}) if own else public


def readable_regions(user, price_list: PriceList) -> list[Region]:
    """The regions whose lines in the list the user may read (lines_visible's rule)."""
    hr = price_list.healthcare_region
    if price_list.is_public or is_insider(user, hr):
        return _regions(hr)
    return submit_regions(user, hr)


def price_list_overview(user, healthcare_region: HealthcareRegion) -> list[PriceList]:
    """The lists the user may read, each with the number of its lines the user may read."""
    if is_insider(user, healthcare_region):
        line_count = Count("items")
    else:
        line_count = Count("items", filter=_readable_lines(user, healthcare_region, "items__"))
    return list(
        price_lists_visible(user, healthcare_region)
        .select_related("healthcare_region", "decision__meeting")
        .annotate(line_count=line_count)
        .order_by("-year")
    )


def price_list_for_user(
    user, healthcare_region: HealthcareRegion, year, *, manage: bool = False
) -> PriceList:
    """A list the user may read (404 otherwise); with manage=True 403 unless kansli."""
    try:
        price_list = (
            price_lists_visible(user, healthcare_region)
            .select_related("healthcare_region", "decision__meeting", "uprated_from")
            .get(year=year)
        )
    except (PriceList.DoesNotExist, ValueError):
        raise Http404 from None
    if manage and not can_manage(user, healthcare_region):
        raise PermissionDenied
    return price_list


def region_for_user(user, price_list: PriceList, scb_code: str, *, submit: bool = False) -> Region:
    """A region of the list whose lines the user may read (404); submit=True: 403 unless
    the user is the region's price contact and collection is open."""
    hr = price_list.healthcare_region
    region = next((r for r in _regions(hr) if r.scb_code == scb_code), None)
    if region is None:
        raise Http404
    if not price_list.is_public and not reads_region_draft(user, hr, region):
        raise Http404
    if submit and not (
        permissions_for_user(user).has_region_perm(permissions.SUBMIT_PRICES, region.pk)
        and price_list.is_collecting
    ):
        raise PermissionDenied
    return region


def submission_for_user(
    user, price_list: PriceList, region: Region, pk, *, confirm: bool = False
) -> PriceSubmission:
    """A submission of a region the caller has checked; submissions are never public."""
    if not reads_region_draft(user, price_list.healthcare_region, region):
        raise Http404
    try:
        submission = PriceSubmission.objects.select_related(
            "submitted_by", "region", "api_token"
        ).get(price_list=price_list, region=region, pk=pk)
    except (PriceSubmission.DoesNotExist, ValueError):
        raise Http404 from None
    if confirm and not permissions_for_user(user).has_region_perm(
        permissions.SUBMIT_PRICES, region.pk
    ):
        raise PermissionDenied
    return submission


# Status and lines -------------------------------------------------------------------


@dataclass
class RegionStatus:
    region: Region
    submission: PriceSubmission | None
    line_count: int | None  # None where the user may not read the region's lines


def region_statuses(user, price_list: PriceList) -> list[RegionStatus]:
    """Each region of the sjukvårdsregion with when it submitted to the list, in two
    queries; the number of lines only of the regions whose lines the user may read."""
    current = {
        s.region_id: s
        for s in PriceSubmission.objects.filter(
            price_list=price_list,
            status=PriceSubmission.Status.CURRENT,
        ).select_related("submitted_by")
    }
    readable = {region.pk for region in readable_regions(user, price_list)}
    return [
        RegionStatus(
            region,
            current.get(region.pk),
            None
            if region.pk not in readable
            else current[region.pk].line_count
            if region.pk in current
            else 0,
        )
        for region in _regions(price_list.healthcare_region)
    ]


LINE_ORDER = ("region__scb_code", "hospital", "category", "code", "unit")


def items_of(price_list: PriceList) -> QuerySet[PriceItem]:
    """Every line of the list, in print order: for the compiled documents, whose own
    access rule (pricing.documents.access) lets only those read them who read every line."""
    return (
        PriceItem.objects.filter(price_list=price_list)
        .select_related("region")
        .order_by(*LINE_ORDER)
    )


def items_for_user(
    user, price_list: PriceList, *, region: Region | None = None, category: str = ""
) -> QuerySet[PriceItem]:
    """The list's lines the user may read (lines_visible), in print order."""
    items = (
        lines_visible(user, price_list.healthcare_region)
        .filter(price_list=price_list)
        .select_related("region")
    )
    if region is not None:
        items = items.filter(region=region)
    if category:
        items = items.filter(category=category)
    return items.order_by(*LINE_ORDER)


def submissions_of(price_list: PriceList, region: Region) -> list[PriceSubmission]:
    return list(
        PriceSubmission.objects.filter(price_list=price_list, region=region).select_related(
            "submitted_by", "api_token"
        )
    )


def contacts_without_submission(price_list: PriceList) -> dict[Region, list[User]]:
    """The price contacts of each region that has not submitted to the list, with an e-mail."""
    submitted = set(
        PriceSubmission.objects.filter(
            price_list=price_list,
            status=PriceSubmission.Status.CURRENT,
        )
        .exclude(source=PriceSubmission.Source.UPRATING)
        .values_list("region_id", flat=True)
    )
    regions = [r for r in _regions(price_list.healthcare_region) if r.pk not in submitted]
    users = (
        User.objects.filter(
            is_active=True,
            groups__role_group__role=RoleGroup.Role.PRICE_CONTACT,
            groups__role_group__region__in=regions,
        )
        .exclude(email="")
        .values_list("groups__role_group__region_id", "pk", "email", "first_name", "last_name")
    )
    by_region: dict[int, list[User]] = defaultdict(list)
    for region_id, pk, email, first, last in users:
        by_region[region_id].append(User(pk=pk, email=email, first_name=first, last_name=last))
    return {r: by_region[r.pk] for r in regions if by_region.get(r.pk)}


# Differences -------------------------------------------------------------------------


@dataclass
class LineChange:
    key: tuple[str, str, str]
    description: str
    before: Decimal | None
    after: Decimal | None

    @property
    def percent(self) -> Decimal | None:
        if self.before is None or self.after is None or self.before == 0:
            return None
        return ((self.after - self.before) / self.before * 100).quantize(Decimal("0.1"))

    @property
    def is_flagged(self) -> bool:
        pct = self.percent
        return pct is not None and abs(pct) > FLAG_PERCENT


@dataclass
class Diff:
    label: str
    compared: int = 0
    added: list[LineChange] = field(default_factory=list)
    removed: list[LineChange] = field(default_factory=list)
    changed: list[LineChange] = field(default_factory=list)
    unchanged: int = 0

    @property
    def flagged(self) -> list[LineChange]:
        return [c for c in self.changed if c.is_flagged]


def _existing(price_list: PriceList, region: Region) -> dict[tuple, tuple[str, Decimal]]:
    rows = PriceItem.objects.filter(price_list=price_list, region=region).values_list(
        "hospital", "code", "unit", "description", "price"
    )
    return {(h, c, u): (d, p) for h, c, u, d, p in rows}


def lines_diff(
    label: str, before: dict[tuple, tuple[str, Decimal]] | None, lines: list[PriceLine]
) -> Diff | None:
    if before is None:
        return None
    diff = Diff(label=label, compared=len(before))
    seen = set()
    for line in lines:
        key = line.key
        seen.add(key)
        after = Decimal(line.price)
        old = before.get(key)
        if old is None:
            diff.added.append(LineChange(key, line.description, None, after))
        elif old[1] != after:
            diff.changed.append(LineChange(key, line.description, old[1], after))
        else:
            diff.unchanged += 1
    for key, (description, price) in before.items():
        if key not in seen:
            diff.removed.append(LineChange(key, description, price, None))
    diff.changed.sort(key=lambda c: -abs(c.percent or 0))
    return diff


def submission_diffs(price_list: PriceList, region: Region, lines: list[PriceLine]) -> list[Diff]:
    """The new lines against the region's current lines and against last year's list."""
    diffs = []
    has_current = PriceSubmission.objects.filter(
        price_list=price_list, region=region, status=PriceSubmission.Status.CURRENT
    ).exists()
    if has_current:
        diffs.append(
            lines_diff(
                "Jämfört med regionens förra inlämning", _existing(price_list, region), lines
            )
        )
    last_year = PriceList.objects.filter(
        healthcare_region_id=price_list.healthcare_region_id, year=price_list.year - 1
    ).first()
    if last_year is not None:
        diffs.append(
            lines_diff(
                f"Jämfört med prislistan {last_year.year}", _existing(last_year, region), lines
            )
        )
    return diffs


# Comparison --------------------------------------------------------------------------


@dataclass
class CodeComparison:
    code: str
    years: list[int]
    rows: list[tuple[str, str, list[Decimal | None]]]  # (region, hospital, price per year)


def code_comparison(user, healthcare_region: HealthcareRegion, code: str) -> CodeComparison:
    """One code's price in each region's hospitals across the years, from the lines the
    user may read (lines_visible)."""
    items = (
        lines_visible(user, healthcare_region)
        .filter(code__iexact=code)
        .select_related("region", "price_list")
        .order_by("region__scb_code", "hospital", "unit")
    )
    years = sorted({i.price_list.year for i in items})
    table: dict[tuple[str, str, str], dict[int, Decimal]] = {}
    for item in items:
        table.setdefault((item.region.short_name, item.hospital, item.unit), {})[
            item.price_list.year
        ] = item.price
    rows = [
        (region, hospital, [prices.get(y) for y in years])
        for (region, hospital, _unit), prices in table.items()
    ]
    return CodeComparison(code=code, years=years, rows=rows)


@dataclass
class RegionChange:
    region: Region
    matched: int
    total_before: Decimal
    total_after: Decimal
    added: int
    removed: int

    @property
    def percent(self) -> Decimal | None:
        if not self.total_before:
            return None
        return ((self.total_after - self.total_before) / self.total_before * 100).quantize(
            Decimal("0.01")
        )


def region_changes(user, earlier: PriceList, later: PriceList) -> list[RegionChange]:
    """Each region's change between two lists over the lines present in both (a price index
    weighting each line equally), with the number of lines added and removed; only the
    regions whose lines the user may read in both lists."""
    visible = lines_visible(user, later.healthcare_region)

    def prices(price_list):
        result: dict[int, dict[tuple, Decimal]] = defaultdict(dict)
        for region_id, h, c, u, p in visible.filter(price_list=price_list).values_list(
            "region_id", "hospital", "code", "unit", "price"
        ):
            result[region_id][(h, c, u)] = p
        return result

    before, after = prices(earlier), prices(later)
    in_both = {region.pk for region in readable_regions(user, earlier)}
    changes = []
    for region in readable_regions(user, later):
        if region.pk not in in_both:
            continue
        a, b = before.get(region.pk, {}), after.get(region.pk, {})
        common = a.keys() & b.keys()
        changes.append(
            RegionChange(
                region=region,
                matched=len(common),
                total_before=sum((a[k] for k in common), Decimal(0)),
                total_after=sum((b[k] for k in common), Decimal(0)),
                added=len(b.keys() - a.keys()),
                removed=len(a.keys() - b.keys()),
            )
        )
    return changes


def codes_of(user, healthcare_region: HealthcareRegion, limit: int = 200) -> list[tuple[str, str]]:
    """The codes of the lines the user may read (lines_visible), for the comparison's list."""
    return list(
        lines_visible(user, healthcare_region)
        .values_list("code", "description")
        .order_by("code")
        .distinct("code")[:limit]
    )
