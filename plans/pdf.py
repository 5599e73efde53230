"""PDF renderers of plans' documents: pure functions, objects in, (filename, bytes) out.

The document pipeline (samverkan.documents) calls the registered wrappers in a worker
and stores what they return. The HTML is a Django template laid out like the source
documents: the "Upprättare / Datum" block and page numbers as "6 (8)" on every page.
"""

from django.template.loader import render_to_string
from django.utils.text import slugify

from plans import followup_selectors
from plans.models import FollowUpReport
from samverkan.documents import html_to_pdf

FOLLOWUP_TEMPLATE = "plans/followup/pdf.html"


def followup_report_html(report: FollowUpReport, contents) -> str:
    counts = contents.status_counts()
    summary = []
    for section in contents.sections:
        per_status = {value: 0 for value, _label, _n in counts}
        for follow_up in section.follow_ups:
            if follow_up.status:
                per_status[follow_up.status] += 1
        summary.append({"name": section.focus_area.name, "counts": list(per_status.values())})
    return render_to_string(FOLLOWUP_TEMPLATE, {
        "report": report, "contents": contents, "status_counts": counts, "summary": summary})


def followup_report_filename(report: FollowUpReport) -> str:
    return f"{slugify(report.title)}-{report.healthcare_region.slug}.pdf"


def render_followup_report(report: FollowUpReport, contents) -> tuple[str, bytes]:
    """The återrapport as a tagged PDF (PDF/UA-1, lang sv)."""
    return followup_report_filename(report), html_to_pdf(followup_report_html(report, contents))


def followup_report_document(report: FollowUpReport) -> tuple[str, bytes]:
    """The pipeline's renderer: loads what the återrapport shows, then renders it."""
    report = FollowUpReport.objects.select_related(
        "healthcare_region", "decision__meeting__body").get(pk=report.pk)
    return render_followup_report(
        report, followup_selectors.report_contents(report, with_comments=False))


def register() -> None:
    from plans.followup_services import PDF_KIND
    from samverkan.documents import register_renderer

    register_renderer(PDF_KIND, followup_report_document, access=followup_selectors.report_access,
                      label="Återrapport (PDF)")
