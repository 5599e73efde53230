"""The compiled prislista: a tagged PDF in parts, and the XLSX and CSV, through the
shared document pipeline (documents.registry).

The PDF is grouped region → sjukhus → kategori, one table per kategori with the
klinik or verksamhet in its first column. Each sjukhus is a part of its own (a large
one is split into parts of at most PART_LINES lines), so the parts render in
parallel on every free worker, and a recompile renders again only the sjukhus whose
lines changed (documents.parts). The front part, rendered last, holds the
title page with "Upprättare / Datum", the decision and the table of contents.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone

from core.formatting import number
from documents.registry import PartSource, TocEntry
from pricing import selectors, spreadsheets
from pricing.models import Category, PriceItem, PriceList, Unit

PDF_KIND = "price_list_pdf"
XLSX_KIND = "price_list_xlsx"
CSV_KIND = "price_list_csv"
KINDS = (PDF_KIND, XLSX_KIND, CSV_KIND)
PART_LINES = 300
PART_TEMPLATE = "pricing/pdf/part.html"
FRONT_TEMPLATE = "pricing/pdf/front.html"
CATEGORY_ORDER = {value: index for index, value in enumerate(Category.values)}
CATEGORY_LABEL = dict(Category.choices)
UNIT_LABEL = dict(Unit.choices)


@dataclass
class Group:
    label: str
    lines: list = field(default_factory=list)


@dataclass
class Part:
    region: object
    hospital: str
    first_of_region: bool
    continued: bool
    groups: list[Group]


def _lines(price_list: PriceList):
    """Every line of the list as plain tuples, in print order, in one query."""
    rows = PriceItem.objects.filter(price_list=price_list).values_list(
        "region_id",
        "hospital",
        "category",
        "clinic",
        "code",
        "description",
        "unit",
        "price",
        "note",
    )
    return sorted(rows, key=lambda r: (r[1], CATEGORY_ORDER.get(r[2], 99), r[3], r[4], r[6]))


def parts_of(price_list: PriceList) -> list[Part]:
    """One part per sjukhus, a large one split every PART_LINES lines, in print order."""
    regions = {region.pk: region for region in selectors._regions(price_list.healthcare_region)}
    by_hospital: dict[tuple, list] = {}
    for row in _lines(price_list):
        by_hospital.setdefault((row[0], row[1]), []).append(row)
    parts, seen_regions = [], set()
    for (region_id, hospital), rows in sorted(
        by_hospital.items(), key=lambda kv: (regions[kv[0][0]].scb_code, kv[0][1])
    ):
        region = regions[region_id]
        for start in range(0, len(rows), PART_LINES):
            groups: list[Group] = []
            for row in rows[start : start + PART_LINES]:
                label = str(CATEGORY_LABEL.get(row[2], row[2]))
                if not groups or groups[-1].label != label:
                    groups.append(Group(label))
                groups[-1].lines.append(
                    {
                        "clinic": row[3],
                        "code": row[4],
                        "description": row[5],
                        "unit": UNIT_LABEL.get(row[6], row[6]),
                        "price": number(row[7], 2),
                        "note": row[8],
                    }
                )
            parts.append(Part(region, hospital, region_id not in seen_regions, start > 0, groups))
            seen_regions.add(region_id)
    return parts


def _common(price_list: PriceList) -> dict:
    return {"price_list": price_list, "healthcare_region": price_list.healthcare_region}


def part_sources(price_list: PriceList) -> list[PartSource]:
    price_list = PriceList.objects.select_related("healthcare_region").get(pk=price_list.pk)
    common = _common(price_list)
    return [
        PartSource(
            label=f"{part.region.name}, {part.hospital}",
            html=render_to_string(PART_TEMPLATE, {**common, "part": part}),
        )
        for part in parts_of(price_list)
    ]


def report_date(price_list: PriceList) -> datetime.date:
    """The date on the title page: the decision's, or the day the list last changed."""
    if price_list.decision_id:
        return price_list.decision.meeting.date
    return timezone.localtime(price_list.updated_at).date()


def front_html(price_list: PriceList, toc: list[TocEntry], total_pages: int) -> str:
    price_list = PriceList.objects.select_related(
        "healthcare_region", "decision__meeting__body"
    ).get(pk=price_list.pk)
    per_region = dict(
        PriceItem.objects.filter(price_list=price_list)
        .order_by()
        .values_list("region_id")
        .annotate(n=Count("id"))
    )
    counts = [
        (region, per_region[region.pk])
        for region in selectors._regions(price_list.healthcare_region)
        if region.pk in per_region
    ]
    return render_to_string(
        FRONT_TEMPLATE,
        {
            **_common(price_list),
            "toc": [entry for entry in toc if entry.level <= 3],
            "total_pages": total_pages,
            "date": report_date(price_list),
            "counts": counts,
            "total_lines": sum(count for _region, count in counts),
        },
    )


def page_numbers_html(total_pages: int) -> str:
    return render_to_string("pricing/pdf/page_numbers.html", {"pages": range(total_pages)})


def filename(price_list: PriceList, extension: str = "pdf") -> str:
    return f"prislista-{price_list.healthcare_region.slug}-{price_list.year}.{extension}"


def _items(price_list: PriceList):
    return selectors.items_of(price_list).iterator(chunk_size=5000)


def render_xlsx(price_list: PriceList) -> tuple[str, bytes]:
    return filename(price_list, "xlsx"), spreadsheets.export_xlsx(price_list, _items(price_list))


def render_csv(price_list: PriceList) -> tuple[str, bytes]:
    return filename(price_list, "csv"), spreadsheets.export_csv(_items(price_list))


def access(user, price_list: PriceList, *, change: bool = False) -> None:
    """Anyone reads a decided list's documents; a list not yet decided only its insiders
    (it holds every region's lines). Starting a compile is the kansli's."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    healthcare_region = price_list.healthcare_region
    if not price_list.is_public and not selectors.is_insider(user, healthcare_region):
        raise Http404
    if change and not selectors.can_manage(user, healthcare_region):
        if not selectors.is_insider(user, healthcare_region):
            raise Http404
        raise PermissionDenied


def register() -> None:
    from documents.registry import register_parted_renderer, register_renderer

    register_parted_renderer(
        PDF_KIND,
        parts=part_sources,
        front=front_html,
        page_numbers=page_numbers_html,
        filename=filename,
        access=access,
        label="PDF",
    )
    register_renderer(XLSX_KIND, render_xlsx, access=access, label="Excel")
    register_renderer(CSV_KIND, render_csv, access=access, label="CSV")
