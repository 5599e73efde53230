"""PDF renderers of plans' documents: pure functions, objects in, (filename, bytes) out.

The document pipeline (documents.registry) calls the registered wrappers in a worker
and stores what they return. The HTML is a Django template laid out like the source
documents (plans/pdf/base.html): the "Upprättare / Datum" block and page numbers as
"6 (8)" on every page, headings that become the PDF's bookmarks, real tables.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils.text import slugify

from documents.registry import html_to_pdf
from plans import selectors
from plans.followups import selectors as followup_selectors
from plans.models import (
    ActivityPlan,
    FollowUpReport,
    OperationalPlan,
    PlanGoal,
    PlanSection,
)
from regions.models import Body, Decision, HealthcareRegion

FOLLOWUP_TEMPLATE = "plans/followup/pdf.html"
OPERATIONAL_PLAN_TEMPLATE = "plans/pdf/operational_plan.html"
ACTIVITY_PLAN_TEMPLATE = "plans/pdf/activity_plan.html"


@dataclass(frozen=True)
class Heading:
    """What every page's heading block and the document's metadata show."""

    title: str
    healthcare_region: HealthcareRegion
    author_name: str
    author_unit: str
    date: datetime.date | None
    decision: Decision | None = None


# Återrapporter -------------------------------------------------------------------------


def followup_report_html(report: FollowUpReport, contents) -> str:
    counts = contents.status_counts()
    summary = []
    for section in contents.sections:
        per_status = {value: 0 for value, _label, _n in counts}
        for follow_up in section.follow_ups:
            if follow_up.status:
                per_status[follow_up.status] += 1
        summary.append({"name": section.focus_area.name, "counts": list(per_status.values())})
    heading = Heading(
        report.title,
        report.healthcare_region,
        report.author_name,
        report.author_unit,
        report.report_date,
        report.decision,
    )
    return render_to_string(
        FOLLOWUP_TEMPLATE,
        {
            "heading": heading,
            "report": report,
            "contents": contents,
            "status_counts": counts,
            "summary": summary,
        },
    )


def followup_report_filename(report: FollowUpReport) -> str:
    return f"{slugify(report.title)}-{report.healthcare_region.slug}.pdf"


def render_followup_report(report: FollowUpReport, contents) -> tuple[str, bytes]:
    """The återrapport as a tagged PDF (PDF/UA-1, lang sv)."""
    return followup_report_filename(report), html_to_pdf(followup_report_html(report, contents))


def followup_report_document(report: FollowUpReport) -> tuple[str, bytes]:
    """The pipeline's renderer: loads what the återrapport shows, then renders it."""
    report = FollowUpReport.objects.select_related(
        "healthcare_region", "decision__meeting__body"
    ).get(pk=report.pk)
    return render_followup_report(
        report, followup_selectors.report_contents(report, with_comments=False)
    )


# Verksamhetsplaner and aktivitetsplaner ------------------------------------------------


def plan_heading(plan, secretariat: Body | None) -> Heading:
    """A plan has no upprättare of its own: the kansli of its sjukvårdsregion writes it.
    Its date is the decision's, as on the source documents' every page ("Datum
    2020-10-02"), or, before the decision, the day it was last changed."""
    decision = plan.decision
    return Heading(
        title=plan.title,
        healthcare_region=plan.healthcare_region,
        author_name=secretariat.name if secretariat else plan.healthcare_region.name,
        author_unit=plan.healthcare_region.name if secretariat else "",
        date=decision.meeting.date if decision else plan.updated_at.date(),
        decision=decision,
    )


def plan_filename(plan) -> str:
    """Named like the aktivitetsplan's spreadsheet export: kind, sjukvårdsregion, years."""
    if isinstance(plan, OperationalPlan):
        name, years = "verksamhetsplan", f"{plan.start_year}-{plan.end_year}"
    else:
        name, years = "aktivitetsplan", str(plan.year)
    return f"{name}-{plan.healthcare_region.slug}-{years}-v{plan.version}.pdf"


def operational_plan_html(
    plan: OperationalPlan, sections: list[PlanSection], secretariat: Body | None = None
) -> str:
    # Södra's plan follows the agreement: its own text is set apart from the agreement's
    # (the source prints it in italics); a plan without agreement text needs no such mark.
    quotes_agreement = any(section.agreement_text for section in sections)
    return render_to_string(
        OPERATIONAL_PLAN_TEMPLATE,
        {
            "heading": plan_heading(plan, secretariat),
            "plan": plan,
            "sections": sections,
            "quotes_agreement": quotes_agreement,
        },
    )


def activity_plan_html(plan: ActivityPlan, focus_areas, secretariat: Body | None = None) -> str:
    return render_to_string(
        ACTIVITY_PLAN_TEMPLATE,
        {
            "heading": plan_heading(plan, secretariat),
            "plan": plan,
            "focus_areas": focus_areas,
            "activities": sum(len(area.activities.all()) for area in focus_areas),
        },
    )


def render_operational_plan(plan: OperationalPlan, sections, secretariat=None) -> tuple[str, bytes]:
    """The verksamhetsplan as a tagged PDF (PDF/UA-1, lang sv)."""
    return plan_filename(plan), html_to_pdf(operational_plan_html(plan, sections, secretariat))


def render_activity_plan(plan: ActivityPlan, focus_areas, secretariat=None) -> tuple[str, bytes]:
    """The aktivitetsplan as a tagged PDF (PDF/UA-1, lang sv)."""
    return plan_filename(plan), html_to_pdf(activity_plan_html(plan, focus_areas, secretariat))


def _secretariat(plan) -> Body | None:
    return (
        Body.objects.filter(healthcare_region=plan.healthcare_region_id, kind=Body.Kind.SECRETARIAT)
        .order_by("position", "pk")
        .first()
    )


def operational_plan_document(plan: OperationalPlan) -> tuple[str, bytes]:
    """The pipeline's renderer: loads what the verksamhetsplan shows, then renders it."""
    plan = OperationalPlan.objects.select_related(
        "healthcare_region", "decision__meeting__body"
    ).get(pk=plan.pk)
    sections = list(
        plan.sections.prefetch_related(
            Prefetch("goals", queryset=PlanGoal.objects.order_by("position", "pk"))
        )
    )
    return render_operational_plan(plan, sections, _secretariat(plan))


def activity_plan_document(plan: ActivityPlan) -> tuple[str, bytes]:
    """The pipeline's renderer: loads what the aktivitetsplan shows, then renders it."""
    plan = ActivityPlan.objects.select_related(
        "healthcare_region", "decision__meeting__body", "operational_plan"
    ).get(pk=plan.pk)
    focus_areas = list(
        plan.focus_areas.prefetch_related(
            Prefetch(
                "activities", queryset=selectors.activities_queryset().order_by("position", "pk")
            )
        )
    )
    return render_activity_plan(plan, focus_areas, _secretariat(plan))


def plan_access(user, plan, *, change: bool = False):
    """The document pipeline's access check for a plan's PDFs: whoever may read the plan
    may read them (everyone, once it is decided); "Försök igen" is the kansli's."""
    return selectors.plan_for_user(user, plan.healthcare_region, type(plan), plan.pk, change=change)


def _plan_document_changed(sender, document, **kwargs):
    # Anonymous visitors get a decided plan's page from the cache; its PDF block must not
    # stay "Köad" there once the worker is done.
    from plans import cache as plan_cache
    from plans.services import PLAN_PDF_KINDS

    if document.kind in PLAN_PDF_KINDS.values():
        plan_cache.changed()


def register() -> None:
    from documents.registry import document_changed, register_renderer
    from plans.followups.services import PDF_KIND
    from plans.services import PLAN_PDF_KINDS

    register_renderer(
        PDF_KIND, followup_report_document, access=followup_selectors.report_access, label="PDF"
    )
    register_renderer(
        PLAN_PDF_KINDS[OperationalPlan], operational_plan_document, access=plan_access, label="PDF"
    )
    register_renderer(
        PLAN_PDF_KINDS[ActivityPlan], activity_plan_document, access=plan_access, label="PDF"
    )
    document_changed.connect(_plan_document_changed, dispatch_uid="plans-pdf-cache")
