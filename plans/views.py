"""Pages of verksamhetsplaner and aktivitetsplaner.

Views are thin: they fetch through the access helpers in `selectors` (404 for what
the user may not read, 403 for what they may read but not change, and for a decided
plan, which is read-only) and write through `services`. The items of a plan are
edited in place with htmx: an edit link fetches the item's form as a partial, saving
swaps the rendered item back; without JavaScript the same URLs serve whole pages.
"""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.editing import CONFLICT_SHOWN_ABOVE, form_data, save_form
from core.history import history_page
from core.uploads import refuse_too_large
from documents.views import documents_context, status_context
from plans import cache as plan_cache
from plans import selectors, services, spreadsheets
from plans.diff import activity_plan_diff, operational_plan_diff
from plans.forms import (
    ActivityForm,
    ActivityPlanForm,
    DecideForm,
    FocusAreaForm,
    GoalForm,
    ImportForm,
    NextYearForm,
    OperationalPlanForm,
    SectionForm,
)
from plans.history import plan_history_events
from plans.models import (
    Activity,
    ActivityPlan,
    FocusArea,
    OperationalPlan,
    PlanGoal,
    PlanSection,
    PlanState,
)
from regions.selectors import (
    can_view_internal,
    healthcare_region_for_request,
)

OP = OperationalPlan
AP = ActivityPlan
OP_PAGE = "plans/operational_plan_detail.html"
AP_PAGE = "plans/activity_plan_detail.html"


def _url(name, plan, **kwargs):
    return reverse(
        f"plans:{name}", kwargs={"hr": plan.healthcare_region.slug, "pk": plan.pk, **kwargs}
    )


def _prefix(model) -> str:
    return "operational_plan" if model is OP else "activity_plan"


def _direction(request) -> int:
    return -1 if request.POST.get("direction") == "up" else 1


# Start page --------------------------------------------------------------------------


def section(request, hr):
    """The plans' start page of one sjukvårdsregion: the plans the user may read."""
    healthcare_region = healthcare_region_for_request(request, hr)
    return render(
        request,
        "plans/section.html",
        {
            "healthcare_region": healthcare_region,
            "operational_plans": list(
                selectors.operational_plans_visible_to(request.user, healthcare_region)
            ),
            "activity_plans": list(
                selectors.activity_plans_visible_to(request.user, healthcare_region)
            ),
            "can_manage": selectors.can_manage_plans(request.user, healthcare_region),
        },
    )


# Plans ---------------------------------------------------------------------------------


@login_required
def operational_plan_create(request, hr):
    healthcare_region = healthcare_region_for_request(request, hr)
    if not selectors.can_manage_plans(request.user, healthcare_region):
        raise PermissionDenied
    form = OperationalPlanForm(form_data(request))
    if request.method == "POST":
        plan = save_form(
            form,
            lambda data: services.operational_plan_create(
                actor=request.user,
                healthcare_region=healthcare_region,
                **{k: data[k] for k in ("title", "start_year", "end_year", "introduction")},
            ),
            conflict_message="",
        )
        if plan:
            messages.success(request, _("Verksamhetsplanen har skapats som utkast."))
            return redirect(plan)
    return render(
        request,
        "core/form_page.html",
        {
            "healthcare_region": healthcare_region,
            "form": form,
            "title": _("Ny verksamhetsplan"),
            "back_url": reverse("plans:section", kwargs={"hr": hr}),
            "submit_label": _("Skapa verksamhetsplanen"),
        },
    )


@login_required
def activity_plan_create(request, hr):
    healthcare_region = healthcare_region_for_request(request, hr)
    if not selectors.can_manage_plans(request.user, healthcare_region):
        raise PermissionDenied
    form = ActivityPlanForm(form_data(request), healthcare_region=healthcare_region)
    if request.method == "POST":
        plan = save_form(
            form,
            lambda data: services.activity_plan_create(
                actor=request.user,
                **{k: data[k] for k in ("operational_plan", "year", "title", "introduction")},
            ),
            conflict_message="",
        )
        if plan:
            messages.success(request, _("Aktivitetsplanen har skapats som utkast."))
            return redirect(plan)
    return render(
        request,
        "core/form_page.html",
        {
            "healthcare_region": healthcare_region,
            "form": form,
            "title": _("Ny aktivitetsplan"),
            "back_url": reverse("plans:section", kwargs={"hr": hr}),
            "submit_label": _("Skapa aktivitetsplanen"),
        },
    )


def _plan_context(request, healthcare_region, plan):
    can_manage = selectors.can_manage_plans(request.user, healthcare_region)
    return {
        "healthcare_region": healthcare_region,
        "plan": plan,
        "can_manage": can_manage,
        "can_edit": plan.is_editable and can_manage,
        "versions": selectors.plan_versions_visible_to(request.user, plan),
        # The PDF block (documents/_block.html); "Försök igen" is the kansli's, as is "Skapa PDF".
        **documents_context(
            request,
            plan,
            services.plan_pdf_kind(plan),
            can_request=can_manage,
            can_retry=can_manage,
            request_url=_url(f"{_prefix(type(plan))}_pdf", plan),
        ),
    }


def _cacheable(plan, response):
    # Only a decided or archived plan reads the same for every anonymous visitor.
    response.cacheable = not plan.is_editable
    return response


def _read_only_items(request, healthcare_region, plan):
    """The rendered items of a decided or archived plan, the same for every reader and
    kept in the cache (plans.cache); None for a plan that may still change."""

    def render_items():
        if isinstance(plan, OP):
            context, template = {"sections": selectors.sections_with_goals(plan)}, OP_PAGE
        else:
            context = {"focus_areas": selectors.focus_areas_with_activities(plan)}
            template = AP_PAGE
        return render_to_string(
            f"{template}#items",
            {"healthcare_region": healthcare_region, "plan": plan, "can_edit": False, **context},
            request,
        )

    return plan_cache.read_only_items(plan, render_items)


@plan_cache.shared_page
def operational_plan_detail(request, hr, pk):
    healthcare_region = healthcare_region_for_request(request, hr)
    plan = selectors.plan_for_user(request.user, healthcare_region, OP, pk)
    return _cacheable(
        plan,
        render(
            request,
            OP_PAGE,
            {
                **_plan_context(request, healthcare_region, plan),
                "items_html": _read_only_items(request, healthcare_region, plan),
                "sections": lambda: selectors.sections_with_goals(plan),
                "activity_plans": list(
                    selectors.activity_plans_visible_to(request.user, healthcare_region).filter(
                        operational_plan=plan
                    )
                ),
            },
        ),
    )


@plan_cache.shared_page
def activity_plan_detail(request, hr, pk):
    healthcare_region = healthcare_region_for_request(request, hr)
    plan = selectors.plan_for_user(request.user, healthcare_region, AP, pk)
    return _cacheable(
        plan,
        render(
            request,
            AP_PAGE,
            {
                **_plan_context(request, healthcare_region, plan),
                "items_html": _read_only_items(request, healthcare_region, plan),
                "focus_areas": lambda: selectors.focus_areas_with_activities(plan),
            },
        ),
    )


@login_required
def plan_update(request, hr, pk, model):
    healthcare_region = healthcare_region_for_request(request, hr)
    plan = selectors.plan_for_user(request.user, healthcare_region, model, pk, edit=True)
    if model is OP:
        form = OperationalPlanForm(form_data(request), instance=plan)
        fields, service = (
            ("title", "start_year", "end_year", "introduction"),
            services.operational_plan_update,
        )
    else:
        form = ActivityPlanForm(
            form_data(request), instance=plan, healthcare_region=healthcare_region
        )
        fields, service = ("year", "title", "introduction"), services.activity_plan_update
    if request.method == "POST":
        saved = save_form(
            form,
            lambda data: service(
                actor=request.user,
                plan=plan,
                fields={k: data[k] for k in fields},
                expected_updated_at=form.expected_version(),
            ),
            conflict_message=CONFLICT_SHOWN_ABOVE % {"what": _("planen")},
        )
        if saved:
            messages.success(request, _("Planen har sparats."))
            return redirect(saved)
    return render(
        request,
        "core/form_page.html",
        {
            "healthcare_region": healthcare_region,
            "form": form,
            "title": _("Ändra %(plan)s") % {"plan": plan.title},
            "back_url": plan.get_absolute_url(),
            "submit_label": _("Spara"),
        },
    )


@login_required
@require_POST
def plan_transition(request, hr, pk, model):
    healthcare_region = healthcare_region_for_request(request, hr)
    plan = selectors.plan_for_user(request.user, healthcare_region, model, pk, change=True)
    to_state = request.POST.get("state", "")
    try:
        services.plan_transition(actor=request.user, plan=plan, to_state=to_state)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            {
                PlanState.REVIEW: _(
                    "Planen är skickad till beredning och kan läsas av nämnden och ledningsgruppen."
                ),
                PlanState.DRAFT: _("Planen är återförd till utkast."),
                PlanState.ARCHIVED: _("Planen är arkiverad."),
            }.get(to_state, _("Planens status har ändrats.")),
        )
    return redirect(plan)


@login_required
def plan_decide(request, hr, pk, model):
    healthcare_region = healthcare_region_for_request(request, hr)
    plan = selectors.plan_for_user(request.user, healthcare_region, model, pk, change=True)
    if plan.state != PlanState.REVIEW:
        messages.error(request, _("Bara en plan under beredning kan beslutas."))
        return redirect(plan)
    form = DecideForm(form_data(request), healthcare_region=healthcare_region)
    if request.method == "POST":
        saved = save_form(
            form,
            lambda data: services.plan_decide(actor=request.user, plan=plan, **data),
            conflict_message="",
        )
        if saved:
            messages.success(
                request,
                _("Beslutet § %(n)s är registrerat och planen är beslutad.")
                % {"n": saved.decision.paragraph},
            )
            return redirect(saved)
    return render(
        request,
        "core/form_page.html",
        {
            "healthcare_region": healthcare_region,
            "form": form,
            "title": _("Registrera beslut om %(plan)s") % {"plan": plan.title},
            "back_url": plan.get_absolute_url(),
            "submit_label": _("Registrera beslutet"),
        },
    )


@login_required
@require_POST
def plan_new_version(request, hr, pk, model):
    healthcare_region = healthcare_region_for_request(request, hr)
    plan = selectors.plan_for_user(request.user, healthcare_region, model, pk, change=True)
    try:
        copy = services.plan_new_version(actor=request.user, plan=plan)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(plan)
    messages.success(request, _("Version %(n)s är skapad som utkast.") % {"n": copy.version})
    return redirect(copy)


def plan_compare(request, hr, pk, model):
    healthcare_region = healthcare_region_for_request(request, hr)
    plan = selectors.plan_for_user(request.user, healthcare_region, model, pk)
    versions = selectors.plan_versions_visible_to(request.user, plan)
    other_pk = request.GET.get("med") or plan.previous_version_id
    other = (
        selectors.plan_for_user(request.user, healthcare_region, model, other_pk)
        if other_pk
        else None
    )
    old, new = (other, plan) if other and other.version <= plan.version else (plan, other)
    diff = None
    if other is not None:
        diff = (operational_plan_diff if model is OP else activity_plan_diff)(old, new)
    return render(
        request,
        "plans/compare.html",
        {
            "healthcare_region": healthcare_region,
            "plan": plan,
            "old": old,
            "new": new,
            "diff": diff,
            "versions": versions,
            "compare_url": _url(f"{_prefix(model)}_compare", plan),
        },
    )


@login_required
@require_POST
def plan_pdf(request, hr, pk, model):
    """Queue a PDF of the plan as it reads now (kansli; also of a decided plan, which
    makes a new version only if the text has changed, and never touches the snapshot)."""
    healthcare_region = healthcare_region_for_request(request, hr)
    plan = selectors.plan_for_user(request.user, healthcare_region, model, pk, change=True)
    document = services.plan_pdf_request(actor=request.user, plan=plan)
    if request.htmx:
        return render(request, "documents/_status.html", status_context(request, document))
    messages.success(request, _("PDF:en skapas. Sidan visar när den är klar."))
    return redirect(f"{plan.get_absolute_url()}#dokument")


@login_required
def plan_history(request, hr, pk, model):
    healthcare_region = healthcare_region_for_request(request, hr)
    plan = selectors.plan_for_user(request.user, healthcare_region, model, pk)
    if not can_view_internal(request.user, healthcare_region):
        # Who changed what is internal, also of a public plan.
        raise Http404
    return render(
        request,
        "plans/history.html",
        {
            "healthcare_region": healthcare_region,
            "plan": plan,
            **history_page(request, partial(plan_history_events, plan)),
        },
    )


# Items of a plan, edited in place ----------------------------------------------------


def _items_response(request, healthcare_region, plan, *, focus=""):
    """The plan's whole list of items, re-rendered after a change (for htmx)."""
    if isinstance(plan, OP):
        context = {"sections": selectors.sections_with_goals(plan)}
        template = f"{OP_PAGE}#items"
    else:
        context = {"focus_areas": selectors.focus_areas_with_activities(plan)}
        template = f"{AP_PAGE}#items"
    response = render(
        request,
        template,
        {"healthcare_region": healthcare_region, "plan": plan, "can_edit": True, **context},
    )
    if focus:
        response["X-Plans-Focus"] = focus
    return response


ANCHORS = {PlanSection: "avsnitt", PlanGoal: "mal", FocusArea: "fokusomrade", Activity: "aktivitet"}


def _edit_item(
    request, healthcare_region, plan, *, form, save, what, title, anchor, action, saved_message
):
    """The form of one item: a partial for htmx, a page otherwise; saving goes through
    `save` and answers with the re-rendered list (htmx) or a redirect to the item."""
    form_id = f"form-{anchor}"
    if request.method == "POST":
        saved = save_form(form, save, conflict_message=CONFLICT_SHOWN_ABOVE % {"what": what})
        if saved:
            saved_id = f"{ANCHORS[type(saved)]}-{saved.pk}"
            if request.htmx:
                return _items_response(request, healthcare_region, plan, focus=saved_id)
            messages.success(request, saved_message)
            return redirect(f"{plan.get_absolute_url()}#{saved_id}")
    context = {
        "healthcare_region": healthcare_region,
        "plan": plan,
        "form": form,
        "form_id": form_id,
        "title": title,
        "action": action,
        "cancel_url": f"{plan.get_absolute_url()}#{anchor}",
        "submit_label": _("Spara"),
    }
    if request.htmx:
        response = render(request, "plans/_item_form.html", context)
        if request.method == "POST":
            # A refused save shows the form again where it was, not in place of the list.
            response["HX-Retarget"] = f"#{form_id}"
            response["HX-Reswap"] = "outerHTML"
        return response
    return render(request, "plans/item_form_page.html", context)


def _move_item(request, healthcare_region, plan, move, anchor):
    try:
        move(direction=_direction(request))
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(plan)
    if request.htmx:
        return _items_response(
            request,
            healthcare_region,
            plan,
            focus=f"{anchor}-{request.POST.get('direction', 'down')}",
        )
    return redirect(f"{plan.get_absolute_url()}#{anchor}")


def _delete_item(request, healthcare_region, plan, obj, delete, title):
    error = None
    if request.method == "POST":
        try:
            delete()
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            if request.htmx:
                return _items_response(request, healthcare_region, plan)
            messages.success(request, _("Borttaget."))
            return redirect(plan)
        if request.htmx:
            # The page reloads on this event and shows the message.
            messages.error(request, error)
            return HttpResponse(status=204, headers={"HX-Trigger": "plansError"})
    return render(
        request,
        "core/confirm_delete.html",
        {
            "healthcare_region": healthcare_region,
            "object": obj,
            "error": error,
            "title": title,
            "back_url": plan.get_absolute_url(),
        },
    )


def _editable_plan(request, hr, pk, model):
    healthcare_region = healthcare_region_for_request(request, hr)
    return healthcare_region, selectors.plan_for_user(
        request.user, healthcare_region, model, pk, edit=True
    )


SECTION_FIELDS = ("number", "heading", "agreement_text", "plan_text")


@login_required
def section_edit(request, hr, pk, section_pk=None):
    healthcare_region, plan = _editable_plan(request, hr, pk, OP)
    item = selectors.section_of(plan, section_pk) if section_pk else None
    form = SectionForm(form_data(request), instance=item)
    if item is None:

        def save(data):
            return services.section_create(
                actor=request.user, plan=plan, **{k: data[k] for k in SECTION_FIELDS}
            )
    else:

        def save(data):
            return services.section_update(
                actor=request.user,
                section=item,
                fields={k: data[k] for k in SECTION_FIELDS},
                expected_updated_at=form.expected_version(),
            )

    return _edit_item(
        request,
        healthcare_region,
        plan,
        form=form,
        save=save,
        what=_("avsnittet"),
        title=_("Ändra avsnitt: %(s)s") % {"s": item} if item else _("Nytt avsnitt"),
        anchor=f"avsnitt-{item.pk if item else 'nytt'}",
        action=request.path,
        saved_message=_("Avsnittet har sparats."),
    )


@login_required
@require_POST
def section_move(request, hr, pk, section_pk):
    healthcare_region, plan = _editable_plan(request, hr, pk, OP)
    item = selectors.section_of(plan, section_pk)
    return _move_item(
        request,
        healthcare_region,
        plan,
        lambda direction: services.section_move(
            actor=request.user, section=item, direction=direction
        ),
        f"avsnitt-{item.pk}",
    )


@login_required
def section_delete(request, hr, pk, section_pk):
    healthcare_region, plan = _editable_plan(request, hr, pk, OP)
    item = selectors.section_of(plan, section_pk)
    return _delete_item(
        request,
        healthcare_region,
        plan,
        item,
        lambda: services.section_delete(actor=request.user, section=item),
        _("Ta bort avsnittet med dess mål?"),
    )


@login_required
def goal_edit(request, hr, pk, section_pk=None, goal_pk=None):
    healthcare_region, plan = _editable_plan(request, hr, pk, OP)
    item = selectors.goal_of(plan, goal_pk) if goal_pk else None
    parent = item.section if item else selectors.section_of(plan, section_pk)
    form = GoalForm(form_data(request), instance=item)
    if item is None:

        def save(data):
            return services.goal_create(actor=request.user, section=parent, text=data["text"])
    else:

        def save(data):
            return services.goal_update(
                actor=request.user,
                goal=item,
                fields={"text": data["text"]},
                expected_updated_at=form.expected_version(),
            )

    return _edit_item(
        request,
        healthcare_region,
        plan,
        form=form,
        save=save,
        what=_("målet"),
        title=_("Ändra mål") if item else _("Nytt mål i %(s)s") % {"s": parent},
        anchor=f"mal-{item.pk}" if item else f"mal-nytt-{parent.pk}",
        action=request.path,
        saved_message=_("Målet har sparats."),
    )


@login_required
@require_POST
def goal_move(request, hr, pk, goal_pk):
    healthcare_region, plan = _editable_plan(request, hr, pk, OP)
    item = selectors.goal_of(plan, goal_pk)
    return _move_item(
        request,
        healthcare_region,
        plan,
        lambda direction: services.goal_move(actor=request.user, goal=item, direction=direction),
        f"mal-{item.pk}",
    )


@login_required
def goal_delete(request, hr, pk, goal_pk):
    healthcare_region, plan = _editable_plan(request, hr, pk, OP)
    item = selectors.goal_of(plan, goal_pk)
    return _delete_item(
        request,
        healthcare_region,
        plan,
        item,
        lambda: services.goal_delete(actor=request.user, goal=item),
        _("Ta bort målet?"),
    )


@login_required
def focus_area_edit(request, hr, pk, focus_area_pk=None):
    healthcare_region, plan = _editable_plan(request, hr, pk, AP)
    item = selectors.focus_area_of(plan, focus_area_pk) if focus_area_pk else None
    form = FocusAreaForm(form_data(request), instance=item)
    if item is None:

        def save(data):
            return services.focus_area_create(actor=request.user, plan=plan, name=data["name"])
    else:

        def save(data):
            return services.focus_area_update(
                actor=request.user,
                focus_area=item,
                fields={"name": data["name"]},
                expected_updated_at=form.expected_version(),
            )

    return _edit_item(
        request,
        healthcare_region,
        plan,
        form=form,
        save=save,
        what=_("fokusområdet"),
        title=_("Ändra fokusområde") if item else _("Nytt fokusområde"),
        anchor=f"fokusomrade-{item.pk if item else 'nytt'}",
        action=request.path,
        saved_message=_("Fokusområdet har sparats."),
    )


@login_required
@require_POST
def focus_area_move(request, hr, pk, focus_area_pk):
    healthcare_region, plan = _editable_plan(request, hr, pk, AP)
    item = selectors.focus_area_of(plan, focus_area_pk)
    return _move_item(
        request,
        healthcare_region,
        plan,
        lambda direction: services.focus_area_move(
            actor=request.user, focus_area=item, direction=direction
        ),
        f"fokusomrade-{item.pk}",
    )


@login_required
def focus_area_delete(request, hr, pk, focus_area_pk):
    healthcare_region, plan = _editable_plan(request, hr, pk, AP)
    item = selectors.focus_area_of(plan, focus_area_pk)
    return _delete_item(
        request,
        healthcare_region,
        plan,
        item,
        lambda: services.focus_area_delete(actor=request.user, focus_area=item),
        _("Ta bort fokusområdet?"),
    )


ACTIVITY_FIELDS = (
    "title",
    "description",
    "responsible_body",
    "responsible_group",
    "regions",
    "goals",
)


@login_required
def activity_edit(request, hr, pk, focus_area_pk=None, activity_pk=None):
    healthcare_region, plan = _editable_plan(request, hr, pk, AP)
    item = selectors.activity_of(plan, activity_pk) if activity_pk else None
    parent = item.focus_area if item else selectors.focus_area_of(plan, focus_area_pk)
    form = ActivityForm(
        form_data(request), instance=item, plan=plan, initial={"focus_area": parent.pk}
    )
    if item is None:

        def save(data):
            return services.activity_create(
                actor=request.user,
                focus_area=data["focus_area"],
                **{k: data[k] for k in ACTIVITY_FIELDS},
            )
    else:

        def save(data):
            return services.activity_update(
                actor=request.user,
                activity=item,
                fields={k: data[k] for k in ("focus_area", *ACTIVITY_FIELDS)},
                expected_updated_at=form.expected_version(),
            )

    return _edit_item(
        request,
        healthcare_region,
        plan,
        form=form,
        save=save,
        what=_("aktiviteten"),
        title=_("Ändra aktivitet") if item else _("Ny aktivitet i %(f)s") % {"f": parent},
        anchor=f"aktivitet-{item.pk}" if item else f"aktivitet-ny-{parent.pk}",
        action=request.path,
        saved_message=_("Aktiviteten har sparats."),
    )


@login_required
@require_POST
def activity_move(request, hr, pk, activity_pk):
    healthcare_region, plan = _editable_plan(request, hr, pk, AP)
    item = selectors.activity_of(plan, activity_pk)
    return _move_item(
        request,
        healthcare_region,
        plan,
        lambda direction: services.activity_move(
            actor=request.user, activity=item, direction=direction
        ),
        f"aktivitet-{item.pk}",
    )


@login_required
def activity_delete(request, hr, pk, activity_pk):
    healthcare_region, plan = _editable_plan(request, hr, pk, AP)
    item = selectors.activity_of(plan, activity_pk)
    return _delete_item(
        request,
        healthcare_region,
        plan,
        item,
        lambda: services.activity_delete(actor=request.user, activity=item),
        _("Ta bort aktiviteten?"),
    )


# Next year ----------------------------------------------------------------------------


@login_required
def activity_plan_next_year(request, hr, pk):
    healthcare_region = healthcare_region_for_request(request, hr)
    plan = selectors.plan_for_user(request.user, healthcare_region, AP, pk, change=True)
    form = NextYearForm(form_data(request), plan=plan)
    if request.method == "POST":
        saved = save_form(
            form,
            lambda data: services.activity_plan_copy_to_year(
                actor=request.user,
                plan=plan,
                year=data["year"],
                activity_ids=[a.pk for a in data["activities"]],
            ),
            conflict_message="",
        )
        if saved:
            messages.success(request, _("%(plan)s är skapad som utkast.") % {"plan": saved.title})
            return redirect(saved)
    return render(
        request,
        "core/form_page.html",
        {
            "healthcare_region": healthcare_region,
            "form": form,
            "title": _("Nästa års aktivitetsplan från %(plan)s") % {"plan": plan.title},
            "subtitle": _("Fokusområdena följer med; välj vilka aktiviteter som ska föras över."),
            "back_url": plan.get_absolute_url(),
            "submit_label": _("Skapa aktivitetsplanen"),
        },
    )


# Export and import ---------------------------------------------------------------------


def activity_plan_export(request, hr, pk, fmt):
    healthcare_region = healthcare_region_for_request(request, hr)
    plan = selectors.plan_for_user(request.user, healthcare_region, AP, pk)
    filename = f"aktivitetsplan-{healthcare_region.slug}-{plan.year}-v{plan.version}.{fmt}"
    if fmt == "xlsx":
        content = spreadsheets.export_xlsx(plan)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif fmt == "ods":
        content = spreadsheets.export_ods(plan)
        content_type = "application/vnd.oasis.opendocument.spreadsheet"
    else:
        content, content_type = spreadsheets.export_csv(plan), "text/csv; charset=utf-8"
    return HttpResponse(
        content,
        content_type=content_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@login_required
def activity_import(request, hr, pk):
    healthcare_region, plan = _editable_plan(request, hr, pk, AP)
    form = ImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    refuse_too_large(request, form, message=_("Filen är större än 2 MB."))
    errors = []
    if request.method == "POST" and form.is_valid():
        rows, errors = spreadsheets.parse_activities(plan, form.cleaned_data["file"])
        if not errors:
            try:
                count = services.activities_import(actor=request.user, plan=plan, rows=rows)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("%(n)s aktiviteter har lästs in.") % {"n": count})
                return redirect(plan)
        else:
            form.add_error(
                "file",
                _(
                    "Filen har fel i %(n)s celler. Ingenting har lästs in; "
                    "rätta raderna nedan och försök igen."
                )
                % {"n": len(errors)},
            )
    return render(
        request,
        "plans/import.html",
        {
            "healthcare_region": healthcare_region,
            "plan": plan,
            "form": form,
            "errors": errors,
            "columns": spreadsheets.IMPORT_COLUMNS,
        },
    )
