"""Pages of återrapporter: the report, writing follow-ups, ready marks, review, decision, PDF.

Views are thin: they fetch through the access helpers in `selectors` (404 for
what the user may not read, 403 for what they may read but not change, and for every
change once the nämnd has decided) and write through `services`.
"""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.editing import CONFLICT_SHOWN_ABOVE, form_data, save_form
from core.history import history_page
from documents.views import documents_context, status_context
from plans.followups import selectors, services
from plans.followups.forms import (
    CommentForm,
    FollowUpForm,
    ReportCreateForm,
    ReportDecideForm,
    ReportForm,
)
from plans.history import plan_history_events
from plans.models import ReportState
from regions.selectors import healthcare_region_for_request


def _report(request, hr, pk, *, change=False):
    return selectors.report_for_user(
        request.user, healthcare_region_for_request(request, hr), pk, change=change
    )


def _refuse(request, report, error: ValidationError):
    messages.error(request, " ".join(error.messages))
    return redirect(report)


def followup_list(request, hr):
    healthcare_region = healthcare_region_for_request(request, hr)
    return render(
        request,
        "plans/followup/list.html",
        {
            "healthcare_region": healthcare_region,
            "reports": list(selectors.reports_visible_to(request.user, healthcare_region)),
            "can_manage": selectors.can_manage_reports(request.user, healthcare_region),
        },
    )


@login_required
def followup_create(request, hr):
    healthcare_region = healthcare_region_for_request(request, hr)
    if not selectors.can_manage_reports(request.user, healthcare_region):
        raise PermissionDenied
    form = ReportCreateForm(form_data(request), healthcare_region=healthcare_region)
    if request.method == "POST":
        report = save_form(form, lambda data: services.report_create(actor=request.user, **data))
        if report:
            messages.success(request, _("Återrapporten har skapats som utkast."))
            return redirect(report)
    return render(
        request,
        "core/form_page.html",
        {
            "healthcare_region": healthcare_region,
            "form": form,
            "title": _("Ny återrapport"),
            "back_url": reverse("plans:followup_list", kwargs={"hr": hr}),
            "submit_label": _("Skapa återrapporten"),
        },
    )


def followup_detail(request, hr, pk):
    report = _report(request, hr, pk)
    writer = selectors.writer_for(request.user, report)
    contents = selectors.report_contents_for_writer(report, writer)
    can_manage = selectors.can_manage(request.user, report)
    return render(
        request,
        "plans/followup/detail.html",
        {
            "healthcare_region": report.healthcare_region,
            "report": report,
            "contents": contents,
            "writer": writer,
            "can_manage": can_manage,
            "can_comment": selectors.can_comment(request.user, report),
            "show_comments": selectors.sees_comments(request.user, report),
            **documents_context(
                request,
                report,
                services.PDF_KIND,
                can_request=can_manage,
                request_url=reverse("plans:followup_pdf", kwargs={"hr": hr, "pk": report.pk}),
            ),
        },
    )


@login_required
def followup_update(request, hr, pk):
    report = _report(request, hr, pk, change=True)
    form = ReportForm(form_data(request), instance=report)
    if request.method == "POST":
        saved = save_form(
            form,
            lambda data: services.report_update(
                actor=request.user,
                report=report,
                expected_updated_at=form.expected_version(),
                fields={k: v for k, v in data.items() if k != "loaded_version"},
            ),
            conflict_message=CONFLICT_SHOWN_ABOVE % {"what": _("återrapportens uppgifter")},
        )
        if saved:
            messages.success(request, _("Återrapportens uppgifter är sparade."))
            return redirect(saved)
    return render(
        request,
        "core/form_page.html",
        {
            "healthcare_region": report.healthcare_region,
            "form": form,
            "title": _("Ändra %(report)s") % {"report": report.title},
            "back_url": report.get_absolute_url(),
            "submit_label": _("Spara"),
        },
    )


@login_required
def follow_up_write(request, hr, pk, follow_up_pk):
    report = _report(request, hr, pk)
    follow_up = selectors.follow_up_for_user(request.user, report, follow_up_pk)
    form = FollowUpForm(form_data(request), instance=follow_up)
    if request.method == "POST":
        saved = save_form(
            form,
            lambda data: services.follow_up_update(
                actor=request.user,
                follow_up=follow_up,
                status=data["status"],
                text=data["text"],
                expected_updated_at=form.expected_version(),
            ),
            conflict_message=CONFLICT_SHOWN_ABOVE % {"what": _("återrapporten för aktiviteten")},
        )
        if saved:
            messages.success(
                request,
                _("Återrapporten för ”%(activity)s” är sparad.")
                % {"activity": follow_up.activity.title},
            )
            return redirect(f"{report.get_absolute_url()}#uppfoljning-{follow_up.pk}")
    return render(
        request,
        "plans/followup/write.html",
        {
            "healthcare_region": report.healthcare_region,
            "report": report,
            "follow_up": follow_up,
            "form": form,
        },
    )


@login_required
@require_POST
def section_ready(request, hr, pk, section_pk):
    report = _report(request, hr, pk)
    section = selectors.section_for_user(request.user, report, section_pk)
    ready = request.POST.get("ready") != "0"
    try:
        services.section_mark_ready(actor=request.user, section=section, ready=ready)
    except ValidationError as error:
        return _refuse(request, report, error)
    messages.success(
        request,
        (
            _("”%(area)s” är markerat som klart.")
            if ready
            else _("”%(area)s” är inte längre markerat som klart.")
        )
        % {"area": section.focus_area.name},
    )
    return redirect(f"{report.get_absolute_url()}#fokusomrade-{section.pk}")


@login_required
@require_POST
def followup_send(request, hr, pk):
    report = _report(request, hr, pk, change=True)
    try:
        services.report_send_to_board(actor=request.user, report=report)
    except ValidationError as error:
        return _refuse(request, report, error)
    messages.success(
        request,
        _("Återrapporten är skickad till nämnden. Ledamöterna kan nu läsa och kommentera den."),
    )
    return redirect(report)


@login_required
@require_POST
def comment_create(request, hr, pk, follow_up_pk):
    report = _report(request, hr, pk)
    if not selectors.can_comment(request.user, report):
        raise PermissionDenied
    try:
        follow_up = report.follow_ups.select_related("activity").get(pk=follow_up_pk)
    except (report.follow_ups.model.DoesNotExist, ValueError):
        raise Http404 from None
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Skriv en kommentar innan du skickar den."))
        return redirect(f"{report.get_absolute_url()}#uppfoljning-{follow_up.pk}")
    try:
        services.comment_create(
            actor=request.user, follow_up=follow_up, text=form.cleaned_data["text"]
        )
    except ValidationError as error:
        return _refuse(request, report, error)
    messages.success(request, _("Din kommentar är sparad."))
    return redirect(f"{report.get_absolute_url()}#uppfoljning-{follow_up.pk}")


@login_required
@require_POST
def comment_handled(request, hr, pk, comment_pk):
    report = _report(request, hr, pk, change=True)
    comment = selectors.comment_for_user(request.user, report, comment_pk, change=True)
    handled = request.POST.get("handled") != "0"
    services.comment_mark_handled(actor=request.user, comment=comment, handled=handled)
    messages.success(
        request,
        _("Kommentaren är markerad som hanterad.")
        if handled
        else _("Kommentaren är markerad som ohanterad."),
    )
    return redirect(f"{report.get_absolute_url()}#uppfoljning-{comment.follow_up_id}")


@login_required
def followup_decide(request, hr, pk):
    report = _report(request, hr, pk, change=True)
    if report.state != ReportState.REVIEW:
        messages.error(request, _("Återrapporten behöver först skickas till nämnden."))
        return redirect(report)
    form = ReportDecideForm(form_data(request), healthcare_region=report.healthcare_region)
    if request.method == "POST":
        saved = save_form(
            form, lambda data: services.report_decide(actor=request.user, report=report, **data)
        )
        if saved:
            messages.success(
                request,
                _(
                    "Beslutet § %(n)s är registrerat. Återrapporten är lagd "
                    "till handlingarna och publicerad; dess PDF skapas nu."
                )
                % {"n": saved.decision.paragraph},
            )
            return redirect(saved)
    return render(
        request,
        "core/form_page.html",
        {
            "healthcare_region": report.healthcare_region,
            "form": form,
            "title": _("Registrera beslut om %(report)s") % {"report": report.title},
            "back_url": report.get_absolute_url(),
            "submit_label": _("Registrera beslutet"),
        },
    )


@login_required
@require_POST
def followup_pdf(request, hr, pk):
    """Queue a PDF of the återrapport as it reads now (kansli; also after the decision,
    which makes a new version and leaves the decided snapshot as it is)."""
    report = _report(request, hr, pk)
    if not selectors.can_manage(request.user, report):
        raise PermissionDenied
    document = services.report_pdf_request(actor=request.user, report=report)
    if request.htmx:
        return render(request, "documents/_status.html", status_context(request, document))
    messages.success(request, _("PDF:en skapas. Sidan visar när den är klar."))
    return redirect(f"{report.get_absolute_url()}#dokument")


@login_required
def followup_history(request, hr, pk):
    """Who wrote what, when, before and after: the återrapport, its follow-ups, ready
    marks and comments. For those who see its comments (the nämnd, the kansli and the
    writers); who changed what is internal, also once the återrapport is public."""
    report = _report(request, hr, pk)
    if not selectors.sees_comments(request.user, report):
        raise Http404
    return render(
        request,
        "plans/history.html",
        {
            "healthcare_region": report.healthcare_region,
            "plan": report,
            "lead": _(
                "Alla ändringar av återrapporten: rubrik och inledning, varje aktivitets status "
                "och text, klarmarkeringar och nämndens kommentarer. Vem, när, före och efter; "
                "de senaste visas först."
            ),
            **history_page(request, partial(plan_history_events, report)),
        },
    )
