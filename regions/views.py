"""Pages of a sjukvårdsregion: overview, bodies and members, meetings and decisions, history.

Views are thin: they fetch through the access helpers in `selectors` (404 for what
the user may not read, 403 for what they may read but not change) and write
through `services`.
"""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.editing import form_data, save_form
from core.history import history_page
from regions import permissions, selectors, services
from regions.forms import (
    AgendaItemForm,
    DecisionForm,
    MeetingForm,
    MembershipEndForm,
    MembershipForm,
)
from regions.history import governance_history
from regions.models import Body
from regions.rotation import leadership_rotation_propose


def _can_manage(request, healthcare_region) -> bool:
    return selectors.permissions_for_user(request.user).has_healthcare_region_perm(
        permissions.MANAGE_GOVERNANCE, healthcare_region.pk
    )


# Overview --------------------------------------------------------------------------


def healthcare_region_start(request, hr):
    healthcare_region = selectors.healthcare_region_for_request(request, hr)
    today = timezone.localdate()
    meetings = selectors.meetings_visible_to(request.user, healthcare_region).select_related(
        "body__healthcare_region"
    )
    return render(
        request,
        "regions/healthcare_region_start.html",
        {
            "healthcare_region": healthcare_region,
            "upcoming": list(meetings.filter(date__gte=today).order_by("date")[:5]),
            "decisions": selectors.decisions_recent(request.user, healthcare_region),
            "can_manage": _can_manage(request, healthcare_region),
        },
    )


def healthcare_region_about(request, hr):
    healthcare_region = selectors.healthcare_region_for_request(request, hr)
    regions = list(healthcare_region.regions.select_related("cooperates_with"))
    cooperating = list(healthcare_region.cooperating_regions.select_related("healthcare_region"))
    bodies = selectors.bodies_of(healthcare_region)
    top_level = [b for b in bodies if b.parent_id is None]
    children = {}
    for body in bodies:
        if body.parent_id:
            children.setdefault(body.parent_id, []).append(body)
    return render(
        request,
        "regions/healthcare_region_about.html",
        {
            "healthcare_region": healthcare_region,
            "regions": regions,
            "cooperating": cooperating,
            "bodies": [(body, children.get(body.pk, [])) for body in top_level],
        },
    )


# Bodies and members ----------------------------------------------------------------


def body_detail(request, hr, pk):
    healthcare_region = selectors.healthcare_region_for_request(request, hr)
    body = selectors.body_for_user(request.user, healthcare_region, pk)
    memberships = selectors.memberships_current(body)
    return render(
        request,
        "regions/body_detail.html",
        {
            "healthcare_region": healthcare_region,
            "body": body,
            "groups": selectors.memberships_by_region(memberships),
            "member_count": len(memberships),
            "rotation": leadership_rotation_propose(body) if body.rotates_leadership else [],
            "children": list(body.children.select_related("healthcare_region")),
            "can_manage": _can_manage(request, healthcare_region),
        },
    )


@login_required
def membership_create(request, hr, pk):
    healthcare_region = selectors.healthcare_region_for_request(request, hr)
    body = selectors.body_for_user(request.user, healthcare_region, pk, change=True)
    form = MembershipForm(form_data(request), body=body)
    if request.method == "POST":

        def save(data):
            person = services.person_chosen_or_created(actor=request.user, data=data)
            return services.membership_create(
                actor=request.user,
                body=body,
                person=person,
                region=data["region"],
                role=data["role"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            )

        membership = save_form(form, transaction.atomic()(save), conflict_message="")
        if membership:
            messages.success(
                request,
                _("%(person)s har lagts till i %(body)s.")
                % {"person": membership.person, "body": body.name},
            )
            return redirect(body)
    return render(
        request,
        "core/form_page.html",
        {
            "healthcare_region": healthcare_region,
            "form": form,
            "title": _("Nytt uppdrag i %(body)s") % {"body": body.name},
            "back_url": body.get_absolute_url(),
            "submit_label": _("Lägg till"),
        },
    )


@login_required
def membership_update(request, hr, pk):
    healthcare_region = selectors.healthcare_region_for_request(request, hr)
    membership = selectors.membership_for_user(request.user, healthcare_region, pk)
    form = MembershipForm(form_data(request), instance=membership, body=membership.body)
    if request.method == "POST":
        saved = save_form(
            form,
            lambda data: services.membership_update(
                actor=request.user,
                membership=membership,
                fields={k: data[k] for k in ("person", "region", "role", "starts_on", "ends_on")},
                expected_updated_at=form.expected_version(),
            ),
            conflict_message=_(
                "Någon annan har ändrat uppdraget medan du redigerade. "
                "Kontrollera uppgifterna och spara igen."
            ),
        )
        if saved:
            messages.success(request, _("Uppdraget har sparats."))
            return redirect(membership.body)
    return render(
        request,
        "core/form_page.html",
        {
            "healthcare_region": healthcare_region,
            "form": form,
            "title": _("Ändra uppdrag: %(m)s") % {"m": membership.person},
            "back_url": membership.body.get_absolute_url(),
            "submit_label": _("Spara"),
        },
    )


@login_required
def membership_end(request, hr, pk):
    healthcare_region = selectors.healthcare_region_for_request(request, hr)
    membership = selectors.membership_for_user(request.user, healthcare_region, pk)
    form = MembershipEndForm(form_data(request), initial={"ends_on": timezone.localdate()})
    if request.method == "POST":
        saved = save_form(
            form,
            lambda data: services.membership_end(
                actor=request.user, membership=membership, ends_on=data["ends_on"]
            ),
            conflict_message="",
        )
        if saved:
            messages.success(
                request,
                _("Uppdraget för %(p)s avslutas %(d)s.")
                % {"p": membership.person, "d": saved.ends_on.isoformat()},
            )
            return redirect(membership.body)
    return render(
        request,
        "core/form_page.html",
        {
            "healthcare_region": healthcare_region,
            "form": form,
            "title": _("Avsluta uppdrag: %(p)s, %(role)s i %(body)s")
            % {
                "p": membership.person,
                "role": membership.get_role_display().lower(),
                "body": membership.body.name,
            },
            "back_url": membership.body.get_absolute_url(),
            "submit_label": _("Avsluta uppdraget"),
        },
    )


# Meetings --------------------------------------------------------------------------


def meeting_list(request, hr):
    healthcare_region = selectors.healthcare_region_for_request(request, hr)
    board = Body.objects.filter(healthcare_region=healthcare_region, kind=Body.Kind.BOARD).first()
    return render(
        request,
        "regions/meeting_list.html",
        {
            "healthcare_region": healthcare_region,
            "board": board,
            "meetings": selectors.meeting_list(request.user, healthcare_region),
            "can_manage": _can_manage(request, healthcare_region),
            "shows_internal": selectors.can_view_internal(request.user, healthcare_region),
        },
    )


@login_required
def meeting_create(request, hr):
    healthcare_region = selectors.healthcare_region_for_request(request, hr)
    selectors.require_healthcare_region_perm(
        request.user, healthcare_region, permissions.MANAGE_GOVERNANCE
    )
    initial = {}
    board = Body.objects.filter(healthcare_region=healthcare_region, kind=Body.Kind.BOARD).first()
    if board:
        initial["body"] = board.pk
    form = MeetingForm(form_data(request), initial=initial, healthcare_region=healthcare_region)
    if request.method == "POST":
        meeting = save_form(
            form,
            lambda data: services.meeting_create(
                actor=request.user, **{k: data[k] for k in MeetingForm.Meta.fields}
            ),
            conflict_message="",
        )
        if meeting:
            messages.success(request, _("Sammanträdet har skapats."))
            return redirect(meeting)
    return render(
        request,
        "core/form_page.html",
        {
            "healthcare_region": healthcare_region,
            "form": form,
            "title": _("Nytt sammanträde"),
            "back_url": f"/{healthcare_region.slug}/sammantraden/",
            "submit_label": _("Skapa sammanträdet"),
        },
    )


def meeting_detail(request, hr, pk):
    healthcare_region = selectors.healthcare_region_for_request(request, hr)
    meeting = selectors.meeting_for_user(request.user, healthcare_region, pk)
    items, decisions = selectors.meeting_detail(meeting)
    return render(
        request,
        "regions/meeting_detail.html",
        {
            "healthcare_region": healthcare_region,
            "meeting": meeting,
            "agenda_items": items,
            "decisions": decisions,
            "can_manage": _can_manage(request, healthcare_region),
        },
    )


@login_required
def meeting_update(request, hr, pk):
    healthcare_region = selectors.healthcare_region_for_request(request, hr)
    meeting = selectors.meeting_for_user(request.user, healthcare_region, pk, change=True)
    form = MeetingForm(form_data(request), instance=meeting, healthcare_region=healthcare_region)
    if request.method == "POST":
        saved = save_form(
            form,
            lambda data: services.meeting_update(
                actor=request.user,
                meeting=meeting,
                fields={k: data[k] for k in MeetingForm.Meta.fields},
                expected_updated_at=form.expected_version(),
            ),
            conflict_message=_(
                "Någon annan har ändrat sammanträdet medan du redigerade. "
                "Den sparade versionen visas nedan; dina ändringar finns kvar "
                "i formuläret. Spara igen för att ersätta den."
            ),
        )
        if saved:
            messages.success(request, _("Sammanträdet har sparats."))
            return redirect(saved)
    return render(
        request,
        "core/form_page.html",
        {
            "healthcare_region": healthcare_region,
            "form": form,
            "title": _("Ändra sammanträde: %(m)s") % {"m": meeting},
            "back_url": meeting.get_absolute_url(),
            "submit_label": _("Spara"),
        },
    )


@login_required
@require_POST
def meeting_publish(request, hr, pk):
    healthcare_region = selectors.healthcare_region_for_request(request, hr)
    meeting = selectors.meeting_for_user(request.user, healthcare_region, pk, change=True)
    publish = request.POST.get("publish") == "1"
    services.meeting_set_published(actor=request.user, meeting=meeting, published=publish)
    messages.success(
        request,
        _("Protokollet är publicerat och syns nu för alla.")
        if publish
        else _("Protokollet är inte längre publicerat."),
    )
    return redirect(meeting)


@login_required
def agenda_item_edit(request, hr, pk, item_pk=None):
    healthcare_region = selectors.healthcare_region_for_request(request, hr)
    meeting = selectors.meeting_for_user(request.user, healthcare_region, pk, change=True)
    item = selectors.agenda_item_of(meeting, item_pk) if item_pk else None
    form = AgendaItemForm(form_data(request), instance=item, meeting=meeting)
    if request.method == "POST":
        fields = ("number", "title", "description")
        if item is None:
            save = lambda data: services.agenda_item_create(  # noqa: E731
                actor=request.user, meeting=meeting, **{k: data[k] for k in fields}
            )
        else:
            save = lambda data: services.agenda_item_update(  # noqa: E731
                actor=request.user,
                item=item,
                fields={**{k: data[k] for k in fields}, "number": data["number"] or item.number},
                expected_updated_at=form.expected_version(),
            )
        saved = save_form(
            form,
            save,
            conflict_message=_(
                "Någon annan har ändrat ärendet medan du redigerade. Spara igen för att ersätta det."
            ),
        )
        if saved:
            messages.success(request, _("Ärendet har sparats."))
            return redirect(meeting)
    return render(
        request,
        "core/form_page.html",
        {
            "healthcare_region": healthcare_region,
            "form": form,
            "title": (_("Ändra ärende %(n)s") % {"n": item.number}) if item else _("Nytt ärende"),
            "subtitle": str(meeting),
            "back_url": meeting.get_absolute_url(),
            "submit_label": _("Spara"),
        },
    )


@login_required
def agenda_item_delete(request, hr, pk, item_pk):
    healthcare_region = selectors.healthcare_region_for_request(request, hr)
    meeting = selectors.meeting_for_user(request.user, healthcare_region, pk, change=True)
    item = selectors.agenda_item_of(meeting, item_pk)
    if request.method == "POST":
        services.agenda_item_delete(actor=request.user, item=item)
        messages.success(request, _("Ärendet har tagits bort."))
        return redirect(meeting)
    return render(
        request,
        "core/confirm_delete.html",
        {
            "healthcare_region": healthcare_region,
            "object": item,
            "title": _("Ta bort ärende %(n)s?") % {"n": item.number},
            "back_url": meeting.get_absolute_url(),
        },
    )


@login_required
def decision_edit(request, hr, pk, decision_pk=None):
    healthcare_region = selectors.healthcare_region_for_request(request, hr)
    meeting = selectors.meeting_for_user(request.user, healthcare_region, pk, change=True)
    decision = selectors.decision_of(meeting, decision_pk) if decision_pk else None
    form = DecisionForm(form_data(request), instance=decision, meeting=meeting)
    if request.method == "POST":
        fields = ("paragraph", "agenda_item", "title", "text")
        if decision is None:
            save = lambda data: services.decision_create(  # noqa: E731
                actor=request.user, meeting=meeting, **{k: data[k] for k in fields}
            )
        else:
            save = lambda data: services.decision_update(  # noqa: E731
                actor=request.user,
                decision=decision,
                fields={
                    **{k: data[k] for k in fields},
                    "paragraph": data["paragraph"] or decision.paragraph,
                },
                expected_updated_at=form.expected_version(),
            )
        saved = save_form(
            form,
            save,
            conflict_message=_(
                "Någon annan har ändrat beslutet medan du redigerade. Den sparade versionen visas "
                "nedan; spara igen för att ersätta den."
            ),
        )
        if saved:
            messages.success(request, _("Beslutet § %(n)s har sparats.") % {"n": saved.paragraph})
            return redirect(meeting)
    return render(
        request,
        "core/form_page.html",
        {
            "healthcare_region": healthcare_region,
            "form": form,
            "title": (_("Ändra beslut § %(n)s") % {"n": decision.paragraph})
            if decision
            else _("Nytt beslut"),
            "subtitle": str(meeting),
            "back_url": meeting.get_absolute_url(),
            "submit_label": _("Spara beslutet"),
        },
    )


@login_required
def decision_delete(request, hr, pk, decision_pk):
    healthcare_region = selectors.healthcare_region_for_request(request, hr)
    meeting = selectors.meeting_for_user(request.user, healthcare_region, pk, change=True)
    decision = selectors.decision_of(meeting, decision_pk)
    error = None
    if request.method == "POST":
        try:
            services.decision_delete(actor=request.user, decision=decision)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("Beslutet har tagits bort."))
            return redirect(meeting)
    return render(
        request,
        "core/confirm_delete.html",
        {
            "healthcare_region": healthcare_region,
            "object": decision,
            "error": error,
            "title": _("Ta bort beslut § %(n)s?") % {"n": decision.paragraph},
            "back_url": meeting.get_absolute_url(),
        },
    )


# History ---------------------------------------------------------------------------


@login_required
def history(request, hr):
    healthcare_region = selectors.healthcare_region_for_request(request, hr)
    if not selectors.can_view_internal(request.user, healthcare_region):
        # The history shows unpublished meetings, so it is hidden like them.
        raise Http404
    return render(
        request,
        "regions/history.html",
        {
            "healthcare_region": healthcare_region,
            **history_page(request, partial(governance_history, healthcare_region)),
        },
    )
