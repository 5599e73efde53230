"""An aktivitetsplan as XLSX, ODS and CSV, and activities read from such a file.

Exports escape formulas: a spreadsheet program runs a cell that starts with
= + - @ (or a tab or carriage return before one), so such a cell gets a leading
apostrophe and is shown as text. Imports are staged: every row is parsed and checked
first, every bad cell reported with row, column, value and a Swedish message, and
nothing is written unless all rows pass.
"""

import csv
import io
from dataclasses import dataclass

import openpyxl
from django.utils.translation import gettext as _

from core import tabular
from core.tabular import (
    Limits,
    RowError,
    UploadRejected,
    escape_formula,
    ods_bytes,
    unescape_formula,
)
from plans import selectors
from plans.models import ActivityPlan
from plans.richtext import plain

COLUMNS = ["Fokusområde", "Aktivitet", "Beskrivning", "Ansvarig", "Berörda regioner", "Mål"]
IMPORT_COLUMNS = COLUMNS[:5]
# An aktivitetsplan has tens of activities, a few hundred at most; descriptions are long
# texts, so a row may unpack to a few kilobytes.
LIMITS = Limits(
    max_bytes=2 * 1024 * 1024,
    max_rows=5_000,
    max_unpacked_bytes=50 * 1024 * 1024,
    max_xml_tags=2_000_000,
    max_columns=100,
)


def activity_rows(plan: ActivityPlan) -> list[list[str]]:
    rows = []
    for area in selectors.focus_areas_with_activities(plan):
        for activity in area.activities.all():
            rows.append(
                [
                    escape_formula(v)
                    for v in (
                        area.name,
                        activity.title,
                        plain(activity.description),
                        str(activity.responsible or ""),
                        ", ".join(r.name for r in activity.regions.all()),
                        "\n".join(str(g) for g in activity.goals.all()),
                    )
                ]
            )
    return rows


def export_csv(plan: ActivityPlan) -> bytes:
    buffer = io.StringIO()
    # Semicolons and a BOM: what Excel with Swedish settings opens without asking.
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(COLUMNS)
    writer.writerows(activity_rows(plan))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_xlsx(plan: ActivityPlan) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(plan.year))
    sheet.append(COLUMNS)
    for row in activity_rows(plan):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_ods(plan: ActivityPlan) -> bytes:
    return ods_bytes([(str(plan.year), COLUMNS, activity_rows(plan))])


@dataclass
class ActivityRow:
    row: int
    focus_area: object
    title: str
    description: str
    responsible_body: object
    responsible_group: object
    regions: list


def _header_score(row: list[str]) -> int:
    return sum(1 for cell in row if cell.strip() in IMPORT_COLUMNS)


def _unescape(value: str) -> str:
    return unescape_formula((value or "").strip())


def parse_activities(plan: ActivityPlan, upload) -> tuple[list[ActivityRow], list[RowError]]:
    """Every row of the file checked against the plan; (rows, errors), errors first."""
    try:
        table = tabular.read_table(
            upload.name, upload.read(), limits=LIMITS, header_score=_header_score, min_score=2
        )
    except UploadRejected as rejected:
        return [], rejected.errors
    header = [h.strip() for h in table.rows[table.header]]
    missing = [c for c in IMPORT_COLUMNS[:2] if c not in header]
    if missing:
        return [], [
            RowError(
                table.header + 1,
                c,
                "",
                _("Kolumnen saknas i rubrikraden, som ska stå bland de första 20 raderna."),
            )
            for c in missing
        ]
    index = {name: header.index(name) for name in IMPORT_COLUMNS if name in header}
    hr = plan.healthcare_region
    areas = {a.name.casefold(): a for a in plan.focus_areas.all()}
    bodies = {}
    for body in selectors.bodies_for(hr):
        bodies[body.name.casefold()] = body
        if body.short_name:
            bodies.setdefault(body.short_name.casefold(), body)
    groups = {g.name.casefold(): g for g in selectors.groups_for(hr)}
    regions = {}
    for region in selectors.regions_for(hr):
        regions[region.name.casefold()] = region
        regions[region.short_name.casefold()] = region
    rows, errors = [], []
    for number, raw in enumerate(table.rows[table.header + 1 :], start=table.header + 2):
        cells = {name: _unescape(raw[i] if i < len(raw) else "") for name, i in index.items()}
        if not any(cells.values()):
            continue
        row_errors = []
        area = areas.get(cells["Fokusområde"].casefold())
        if area is None:
            row_errors.append(
                RowError(
                    number,
                    "Fokusområde",
                    cells["Fokusområde"],
                    _("Fokusområdet finns inte i aktivitetsplanen."),
                )
            )
        title = cells["Aktivitet"]
        if not title:
            row_errors.append(RowError(number, "Aktivitet", title, _("Aktiviteten saknar rubrik.")))
        elif len(title) > 500:
            row_errors.append(
                RowError(
                    number, "Aktivitet", title[:60] + "…", _("Rubriken är längre än 500 tecken.")
                )
            )
        responsible = cells.get("Ansvarig", "")
        body = group = None
        if responsible:
            key = responsible.casefold()
            body = bodies.get(key)
            group = (
                None
                if body
                else groups.get(key)
                or groups.get(key.removeprefix("rsg ").removeprefix("rpo ").removeprefix("rag "))
            )
            if body is None and group is None:
                row_errors.append(
                    RowError(
                        number,
                        "Ansvarig",
                        responsible,
                        _(
                            "Det finns inget organ eller någon grupp med det namnet i "
                            "sjukvårdsregionen."
                        ),
                    )
                )
        chosen = []
        for name in filter(None, (n.strip() for n in cells.get("Berörda regioner", "").split(","))):
            region = regions.get(name.casefold())
            if region is None:
                row_errors.append(
                    RowError(
                        number,
                        "Berörda regioner",
                        name,
                        _("Regionen ingår inte i sjukvårdsregionen."),
                    )
                )
            else:
                chosen.append(region)
        errors += row_errors
        if not row_errors:
            rows.append(
                ActivityRow(number, area, title, cells.get("Beskrivning", ""), body, group, chosen)
            )
    if not rows and not errors:
        errors.append(RowError(2, "", "", _("Filen har inga aktiviteter.")))
    return rows, errors
