"""Writes of återrapporter: header, follow-ups, ready marks, review, decision and PDFs.

Each function is one transaction run with the acting user as history context. Writes
lock the återrapport row first and refuse once it is decided: the nämnd's decision
freezes it, and the PDF made at the decision is the published, unchanging snapshot.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.editing import history_context, lock_unchanged
from documents import jobs as document_jobs
from plans.models import (
    Activity,
    ActivityFollowUp,
    ActivityPlan,
    FollowUpComment,
    FollowUpReport,
    FollowUpSection,
    FollowUpStatus,
    ReportState,
)
from plans.richtext import sanitise
from regions import services as region_services
from regions.models import Decision, Meeting, User

PDF_KIND = "plans.followup_report"


def _lock_editable(report: FollowUpReport) -> FollowUpReport:
    locked = FollowUpReport.objects.select_for_update().get(pk=report.pk)
    if not locked.is_editable:
        raise ValidationError(
            _("%(report)s är lagd till handlingarna och kan inte ändras.")
            % {"report": locked.title}
        )
    return locked


def _save(obj):
    obj.full_clean()
    obj.save()
    return obj


def report_create(
    *,
    actor: User | None,
    activity_plan: ActivityPlan,
    title: str = "",
    author_name: str = "",
    author_unit: str = "",
    report_date: datetime.date | None = None,
    introduction: str = "",
) -> FollowUpReport:
    """A new återrapport of the aktivitetsplan, with an empty follow-up per activity."""
    with transaction.atomic(), history_context(actor):
        if FollowUpReport.objects.filter(activity_plan=activity_plan).exists():
            raise ValidationError(_("Aktivitetsplanen har redan en återrapport."))
        report = _save(
            FollowUpReport(
                healthcare_region_id=activity_plan.healthcare_region_id,
                activity_plan=activity_plan,
                title=title
                or _("Återrapport %(plan)s")
                % {
                    "plan": activity_plan.title.lower()
                    if activity_plan.title.startswith("Aktivitetsplan")
                    else activity_plan.title
                },
                author_name=author_name,
                author_unit=author_unit,
                report_date=report_date,
                introduction=sanitise(introduction),
            )
        )
        FollowUpSection.objects.bulk_create(
            FollowUpSection(report=report, focus_area=area)
            for area in activity_plan.focus_areas.all()
        )
        ActivityFollowUp.objects.bulk_create(
            ActivityFollowUp(report=report, activity=activity)
            for activity in Activity.objects.filter(focus_area__activity_plan=activity_plan)
        )
        return report


def report_update(
    *,
    actor: User | None,
    report: FollowUpReport,
    fields: dict,
    expected_updated_at: datetime.datetime | None = None,
) -> FollowUpReport:
    """Change the header: title, upprättare and unit, datum, introduction."""
    allowed = {"title", "author_name", "author_unit", "report_date", "introduction"}
    if fields.keys() - allowed:
        raise ValueError(f"Okända fält: {sorted(fields.keys() - allowed)}")
    with transaction.atomic(), history_context(actor):
        _lock_editable(report)
        current = lock_unchanged(FollowUpReport, report.pk, expected_updated_at)
        for name, value in fields.items():
            setattr(current, name, sanitise(value) if name == "introduction" else value)
        return _save(current)


def follow_up_update(
    *,
    actor: User | None,
    follow_up: ActivityFollowUp,
    status: str,
    text: str,
    expected_updated_at: datetime.datetime | None = None,
) -> ActivityFollowUp:
    """Write one activity's status and report text (sanitised rich text)."""
    with transaction.atomic(), history_context(actor):
        _lock_editable(follow_up.report)
        current = lock_unchanged(ActivityFollowUp, follow_up.pk, expected_updated_at)
        if status and status not in FollowUpStatus.values:
            raise ValidationError({"status": _("Välj en av statusarna i listan.")})
        current.status = status
        current.text = sanitise(text)
        current.written_by = actor if actor is not None and actor.is_authenticated else None
        return _save(current)


def section_mark_ready(
    *, actor: User | None, section: FollowUpSection, ready: bool = True
) -> FollowUpSection:
    """Mark a fokusområde's follow-ups ready (or not ready after all)."""
    with transaction.atomic(), history_context(actor):
        _lock_editable(section.report)
        current = FollowUpSection.objects.select_for_update().get(pk=section.pk)
        if ready:
            missing = [
                f.activity.title
                for f in ActivityFollowUp.objects.filter(
                    report_id=current.report_id,
                    activity__focus_area=current.focus_area_id,
                ).select_related("activity")
                if not f.is_written
            ]
            if missing:
                raise ValidationError(
                    _(
                        "Alla aktiviteter i fokusområdet behöver status och text innan det kan "
                        "markeras klart. Saknas: %(missing)s"
                    )
                    % {"missing": "; ".join(missing)}
                )
        current.is_ready = ready
        current.ready_by = actor if ready else None
        current.ready_at = timezone.now() if ready else None
        return _save(current)


def report_send_to_board(*, actor: User | None, report: FollowUpReport) -> FollowUpReport:
    """ "Skicka till nämnden": the nämnd's members may now read and comment."""
    with transaction.atomic(), history_context(actor):
        current = _lock_editable(report)
        if current.state != ReportState.DRAFT:
            raise ValidationError(_("Återrapporten är redan skickad till nämnden."))
        current.state = ReportState.REVIEW
        current.sent_at = timezone.now()
        return _save(current)


def comment_create(*, actor: User, follow_up: ActivityFollowUp, text: str) -> FollowUpComment:
    with transaction.atomic(), history_context(actor):
        report = _lock_editable(follow_up.report)
        if report.state != ReportState.REVIEW:
            raise ValidationError(
                _("Återrapporten kan kommenteras först när den är skickad till nämnden.")
            )
        text = text.strip()
        if not text:
            raise ValidationError({"text": _("Skriv en kommentar.")})
        return _save(FollowUpComment(follow_up=follow_up, author=actor, text=text))


def comment_mark_handled(
    *, actor: User | None, comment: FollowUpComment, handled: bool = True
) -> FollowUpComment:
    with transaction.atomic(), history_context(actor):
        _lock_editable(comment.follow_up.report)
        current = FollowUpComment.objects.select_for_update().get(pk=comment.pk)
        current.handled_at = timezone.now() if handled else None
        current.handled_by = actor if handled else None
        return _save(current)


def report_decide(
    *,
    actor: User | None,
    report: FollowUpReport,
    meeting: Meeting | None = None,
    paragraph: int | None = None,
    title: str = "",
    text: str = "",
    decision: Decision | None = None,
    render_now: bool = False,
) -> FollowUpReport:
    """The nämnd lays the återrapport to the handlingar: it is frozen, public, and its PDF
    made now is kept as the published snapshot.

    Either records a new decision (§) at `meeting`, or points an existing `decision`
    (one taken before the portal knew the återrapport) at it. `render_now` renders the
    snapshot in this process instead of the queue (the demo data, made without a worker).
    """
    with transaction.atomic(), history_context(actor):
        current = FollowUpReport.objects.select_for_update().get(pk=report.pk)
        if current.state != ReportState.REVIEW:
            raise ValidationError(
                _("Bara en återrapport som är skickad till nämnden kan läggas till handlingarna.")
            )
        if decision is None:
            if meeting is None:
                raise ValidationError({"meeting": _("Välj sammanträdet.")})
            if meeting.body.healthcare_region_id != current.healthcare_region_id:
                raise ValidationError(
                    {"meeting": _("Sammanträdet hör till en annan sjukvårdsregion.")}
                )
            decision = region_services.decision_create(
                actor=actor,
                meeting=meeting,
                paragraph=paragraph,
                title=title or current.title,
                text=text or _("Återrapporten läggs till handlingarna."),
                subject=current,
            )
        else:
            if decision.meeting.body.healthcare_region_id != current.healthcare_region_id:
                raise ValidationError(_("Beslutet hör till en annan sjukvårdsregion."))
            region_services.decision_update(
                actor=actor, decision=decision, fields={"subject": current}
            )
        current.decision = decision
        current.state = ReportState.DECIDED
        _save(current)
    if render_now:
        document_jobs.document_render_now(
            actor=actor, subject=current, kind=PDF_KIND, snapshot=True
        )
    else:
        document_jobs.document_request(actor=actor, subject=current, kind=PDF_KIND, snapshot=True)
    return current


def report_pdf_request(*, actor: User | None, report: FollowUpReport):
    """Queue a PDF of the återrapport as it reads now."""
    return document_jobs.document_request(actor=actor, subject=report, kind=PDF_KIND)
