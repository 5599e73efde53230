"""Pages of kunskapsstyrning: the national and regional structure, groups and councils
with their members, promises and goals with their indicators, and search.

Views are thin: they fetch through the access helpers in `selectors` (404 for what
the user may not read, 403 for what they may read but not change) and write
through `services`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import charts
from core.editing import form_data, save_form
from core.formatting import number, plain
from core.uploads import refuse_too_large
from knowledge import imports, selectors, services
from knowledge.forms import (
    CouncilForm,
    CouncilMembershipForm,
    GoalForm,
    GroupMembershipForm,
    HostingForm,
    IndicatorForm,
    IndicatorUploadForm,
    IndicatorValueForm,
    MandateForm,
    RegionalGroupForm,
)
from knowledge.models import GroupRole
from knowledge.search import knowledge_search
from regions import services as region_services
from regions.forms import MembershipEndForm
from regions.rotation import rotation_plan
from regions.selectors import healthcare_region_for_request

FORM_PAGE = "core/form_page.html"


def _section_url(healthcare_region):
    return reverse("knowledge:section", kwargs={"hr": healthcare_region.slug})


# Structure ---------------------------------------------------------------------------


def section(request, hr):
    """The sjukvårdsregion's structure as a tree, with its värdskap."""
    healthcare_region = healthcare_region_for_request(request, hr)
    return render(
        request,
        "knowledge/structure.html",
        {
            "healthcare_region": healthcare_region,
            "structure": selectors.structure_of(healthcare_region),
            "hostings": selectors.hostings_of(healthcare_region),
            "can_manage": selectors.can_manage(request.user, healthcare_region),
        },
    )


def national(request, hr):
    """All national programme areas with their host, and the national groups."""
    healthcare_region = healthcare_region_for_request(request, hr)
    rows, national_groups = selectors.national_structure()
    return render(
        request,
        "knowledge/national.html",
        {
            "healthcare_region": healthcare_region,
            "rows": rows,
            "national_groups": national_groups,
        },
    )


# Groups ------------------------------------------------------------------------------


def group_detail(request, hr, pk):
    healthcare_region = healthcare_region_for_request(request, hr)
    group = selectors.regional_group_for_user(request.user, healthcare_region, pk)
    memberships = selectors.current_memberships(group)
    names = selectors.kind_names(healthcare_region)
    return render(
        request,
        "knowledge/group_detail.html",
        {
            "healthcare_region": healthcare_region,
            "group": group,
            "kind": names[group.kind],
            "chairs": [m for m in memberships if m.role == GroupRole.CHAIR],
            "process_leads": [m for m in memberships if m.role == GroupRole.PROCESS_LEAD],
            "by_region": selectors.members_by_region(memberships),
            "member_count": len(memberships),
            "children": list(group.children.select_related("healthcare_region")),
            "goals": list(
                selectors.goals_visible_to(request.user, healthcare_region)
                .filter(program_area=group)
                .select_related("healthcare_region")
            ),
            "can_manage": selectors.can_manage(request.user, healthcare_region),
            "can_edit_mandate": selectors.can_edit_mandate(request.user, group),
        },
    )


@login_required
def group_create(request, hr):
    healthcare_region = healthcare_region_for_request(request, hr)
    selectors.require_manage(request.user, healthcare_region)
    form = RegionalGroupForm(form_data(request), healthcare_region=healthcare_region)
    if request.method == "POST":
        group = save_form(
            form,
            lambda data: services.regional_group_create(
                actor=request.user,
                healthcare_region=healthcare_region,
                **{k: data[k] for k in RegionalGroupForm.Meta.fields},
            ),
        )
        if group:
            messages.success(request, _("Gruppen %(name)s har skapats.") % {"name": group.name})
            return redirect(group)
    return render(
        request,
        FORM_PAGE,
        {
            "healthcare_region": healthcare_region,
            "form": form,
            "title": _("Ny grupp"),
            "back_url": _section_url(healthcare_region),
            "submit_label": _("Skapa gruppen"),
        },
    )


@login_required
def group_update(request, hr, pk):
    healthcare_region = healthcare_region_for_request(request, hr)
    group = selectors.regional_group_for_user(request.user, healthcare_region, pk, change=True)
    form = RegionalGroupForm(
        form_data(request), instance=group, healthcare_region=healthcare_region
    )
    if request.method == "POST":
        saved = save_form(
            form,
            lambda data: services.regional_group_update(
                actor=request.user,
                group=group,
                fields={k: data[k] for k in RegionalGroupForm.Meta.fields},
                expected_updated_at=form.expected_version(),
            ),
            conflict_message=_(
                "Någon annan har ändrat gruppen medan du redigerade. Den sparade "
                "versionen visas nedan; dina ändringar finns kvar i formuläret. "
                "Spara igen för att ersätta den."
            ),
        )
        if saved:
            messages.success(request, _("Gruppen har sparats."))
            return redirect(saved)
    return render(
        request,
        FORM_PAGE,
        {
            "healthcare_region": healthcare_region,
            "form": form,
            "title": _("Ändra %(name)s") % {"name": group.name},
            "back_url": group.get_absolute_url(),
            "submit_label": _("Spara"),
        },
    )


@login_required
def group_mandate(request, hr, pk):
    """Edit the group's uppdrag: the kansli, or the group's own ordförande or processledare."""
    healthcare_region = healthcare_region_for_request(request, hr)
    group = selectors.regional_group_for_user(request.user, healthcare_region, pk, mandate=True)
    form = MandateForm(form_data(request), instance=group)
    if request.method == "POST":
        saved = save_form(
            form,
            lambda data: services.regional_group_set_mandate(
                actor=request.user,
                group=group,
                mandate=data["mandate"],
                expected_updated_at=form.expected_version(),
            ),
            conflict_message=_(
                "Någon annan har ändrat uppdraget medan du redigerade. Den sparade "
                "versionen visas nedan; din text finns kvar i formuläret. "
                "Spara igen för att ersätta den."
            ),
        )
        if saved:
            messages.success(request, _("Uppdraget har sparats."))
            return redirect(saved)
    return render(
        request,
        FORM_PAGE,
        {
            "healthcare_region": healthcare_region,
            "form": form,
            "title": _("Uppdrag för %(name)s") % {"name": group.name},
            "back_url": group.get_absolute_url(),
            "submit_label": _("Spara uppdraget"),
        },
    )


@login_required
def group_membership_create(request, hr, pk):
    healthcare_region = healthcare_region_for_request(request, hr)
    group = selectors.regional_group_for_user(request.user, healthcare_region, pk, change=True)
    form = GroupMembershipForm(form_data(request), healthcare_region=healthcare_region)
    if request.method == "POST":

        @transaction.atomic
        def save(data):
            return services.group_membership_create(
                actor=request.user,
                group=group,
                person=region_services.person_chosen_or_created(actor=request.user, data=data),
                region=data["region"],
                role=data["role"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            )

        membership = save_form(form, save)
        if membership:
            messages.success(
                request,
                _("%(person)s har lagts till i %(group)s.")
                % {"person": membership.person, "group": group.name},
            )
            return redirect(group)
    return render(
        request,
        FORM_PAGE,
        {
            "healthcare_region": healthcare_region,
            "form": form,
            "title": _("Ny ledamot i %(group)s") % {"group": group.name},
            "back_url": group.get_absolute_url(),
            "submit_label": _("Lägg till"),
        },
    )


@login_required
def group_membership_end(request, hr, pk):
    healthcare_region = healthcare_region_for_request(request, hr)
    membership = selectors.group_membership_for_user(request.user, healthcare_region, pk)
    form = MembershipEndForm(form_data(request), initial={"ends_on": timezone.localdate()})
    if request.method == "POST":
        saved = save_form(
            form,
            lambda data: services.group_membership_end(
                actor=request.user, membership=membership, ends_on=data["ends_on"]
            ),
        )
        if saved:
            messages.success(
                request,
                _("Uppdraget för %(p)s avslutas %(d)s.")
                % {"p": membership.person, "d": saved.ends_on.isoformat()},
            )
            return redirect(membership.group)
    return render(
        request,
        FORM_PAGE,
        {
            "healthcare_region": healthcare_region,
            "form": form,
            "title": _("Avsluta uppdrag: %(p)s, %(role)s i %(group)s")
            % {
                "p": membership.person,
                "role": membership.get_role_display().lower(),
                "group": membership.group.name,
            },
            "back_url": membership.group.get_absolute_url(),
            "submit_label": _("Avsluta uppdraget"),
        },
    )


# Councils ----------------------------------------------------------------------------


def council_detail(request, hr, pk):
    healthcare_region = healthcare_region_for_request(request, hr)
    council = selectors.council_for_user(request.user, healthcare_region, pk)
    memberships = selectors.council_current_memberships(council)
    rotation = []
    if council.rotates_leadership:
        chairs = sorted(
            (m for m in memberships if m.role == "ordforande"), key=lambda m: m.starts_on
        )
        regions = sorted({m.region for m in memberships}, key=lambda r: r.scb_code)
        rotation = rotation_plan(
            regions=regions,
            last_chair_region=chairs[-1].region if chairs else None,
            last_chair_first_year=chairs[-1].starts_on.year if chairs else None,
            period_years=council.rotation_years,
            this_year=timezone.localdate().year,
            periods=3,
        )
    return render(
        request,
        "knowledge/council_detail.html",
        {
            "healthcare_region": healthcare_region,
            "council": council,
            "groups": selectors.council_groups(council),
            "by_region": selectors.members_by_region(memberships),
            "rotation": rotation,
            "names": selectors.kind_names(healthcare_region),
            "can_manage": selectors.can_manage(request.user, healthcare_region),
        },
    )


@login_required
def council_create(request, hr):
    healthcare_region = healthcare_region_for_request(request, hr)
    selectors.require_manage(request.user, healthcare_region)
    form = CouncilForm(form_data(request), healthcare_region=healthcare_region)
    if request.method == "POST":
        council = save_form(
            form,
            lambda data: services.council_create(
                actor=request.user,
                healthcare_region=healthcare_region,
                name=data["name"],
                description=data["description"],
                rotates_leadership=data["rotates_leadership"],
                rotation_years=data["rotation_years"],
                groups=data["groups"],
            ),
        )
        if council:
            messages.success(request, _("Kunskapsrådet har skapats."))
            return redirect(council)
    return render(
        request,
        FORM_PAGE,
        {
            "healthcare_region": healthcare_region,
            "form": form,
            "title": _("Nytt kunskapsråd"),
            "back_url": _section_url(healthcare_region),
            "submit_label": _("Skapa kunskapsrådet"),
        },
    )


@login_required
def council_membership_create(request, hr, pk):
    healthcare_region = healthcare_region_for_request(request, hr)
    council = selectors.council_for_user(request.user, healthcare_region, pk, change=True)
    form = CouncilMembershipForm(form_data(request), healthcare_region=healthcare_region)
    if request.method == "POST":

        @transaction.atomic
        def save(data):
            return services.council_membership_create(
                actor=request.user,
                council=council,
                person=region_services.person_chosen_or_created(actor=request.user, data=data),
                region=data["region"],
                role=data["role"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            )

        if save_form(form, save):
            messages.success(request, _("Uppdraget har lagts till."))
            return redirect(council)
    return render(
        request,
        FORM_PAGE,
        {
            "healthcare_region": healthcare_region,
            "form": form,
            "title": _("Nytt uppdrag i %(c)s") % {"c": council.name},
            "back_url": council.get_absolute_url(),
            "submit_label": _("Lägg till"),
        },
    )


@login_required
def council_membership_end(request, hr, pk):
    healthcare_region = healthcare_region_for_request(request, hr)
    membership = selectors.council_membership_for_user(request.user, healthcare_region, pk)
    form = MembershipEndForm(form_data(request), initial={"ends_on": timezone.localdate()})
    if request.method == "POST":
        saved = save_form(
            form,
            lambda data: services.council_membership_end(
                actor=request.user, membership=membership, ends_on=data["ends_on"]
            ),
        )
        if saved:
            messages.success(
                request,
                _("Uppdraget för %(p)s avslutas %(d)s.")
                % {"p": membership.person, "d": saved.ends_on.isoformat()},
            )
            return redirect(membership.council)
    return render(
        request,
        FORM_PAGE,
        {
            "healthcare_region": healthcare_region,
            "form": form,
            "title": _("Avsluta uppdrag: %(p)s, %(role)s i %(council)s")
            % {
                "p": membership.person,
                "role": membership.get_role_display().lower(),
                "council": membership.council.name,
            },
            "back_url": membership.council.get_absolute_url(),
            "submit_label": _("Avsluta uppdraget"),
        },
    )


# Värdskap ----------------------------------------------------------------------------


@login_required
def hosting_create(request, hr):
    """Record that this sjukvårdsregion hosts a national programme area (its kansli)."""
    healthcare_region = healthcare_region_for_request(request, hr)
    selectors.require_manage(request.user, healthcare_region)
    form = HostingForm(form_data(request))
    if request.method == "POST":
        hosting = save_form(
            form,
            lambda data: services.hosting_create(
                actor=request.user,
                healthcare_region=healthcare_region,
                program_area=data["program_area"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                note=data["note"],
            ),
        )
        if hosting:
            messages.success(
                request,
                _("Värdskapet för %(npo)s har sparats.") % {"npo": hosting.program_area.name},
            )
            return redirect(_section_url(healthcare_region))
    return render(
        request,
        FORM_PAGE,
        {
            "healthcare_region": healthcare_region,
            "form": form,
            "title": _("Nytt värdskap för %(hr)s") % {"hr": healthcare_region.short_name},
            "subtitle": _("Ett nationellt programområde har en värdsjukvårdsregion åt gången."),
            "back_url": _section_url(healthcare_region),
            "submit_label": _("Spara värdskapet"),
        },
    )


# Promises and goals ------------------------------------------------------------------


def goals(request, hr):
    healthcare_region = healthcare_region_for_request(request, hr)
    promises, loose = selectors.promises_with_goals(request.user, healthcare_region)
    return render(
        request,
        "knowledge/goals.html",
        {
            "healthcare_region": healthcare_region,
            "promises": promises,
            "loose_goals": loose,
            "can_manage": selectors.can_manage(request.user, healthcare_region),
        },
    )


def goal_detail(request, hr, pk):
    healthcare_region = healthcare_region_for_request(request, hr)
    goal = selectors.goal_for_user(request.user, healthcare_region, pk)
    indicators = []
    for indicator in selectors.goal_indicators(goal):
        values = list(indicator.values.all())
        series: dict[str, dict] = {}
        regions = {}
        # Keyed by the short name ("Jönköpings län"): the chart's legend has room for
        # about twenty characters, and "Region " would take a third of them.
        for v in values:
            series.setdefault(v.region.short_name, {})[v.year] = v.value
            regions[v.region.short_name] = v.region
        years = sorted({v.year for v in values})
        table = []
        for name, by_year in series.items():
            latest_year = max(by_year)
            latest = by_year[latest_year]
            table.append(
                {
                    "region": regions[name],
                    "cells": [plain(by_year[y]) if y in by_year else None for y in years],
                    "latest_year": latest_year,
                    "meets": indicator.meets_target(latest),
                }
            )
        indicators.append(
            {
                "indicator": indicator,
                "years": years,
                "rows": table,
                "chart": charts.line_chart(
                    series,
                    target=indicator.target,
                    tick_label=number,
                    label=lambda value, unit=indicator.unit: f"{number(value)} {unit}".strip(),
                ),
                "target": plain(indicator.target) if indicator.target is not None else None,
            }
        )
    return render(
        request,
        "knowledge/goal_detail.html",
        {
            "healthcare_region": healthcare_region,
            "goal": goal,
            "indicators": indicators,
            "can_manage": selectors.can_manage(request.user, healthcare_region),
        },
    )


GOAL_CONFLICT = gettext_lazy(
    "Någon annan har ändrat målet medan du redigerade. Den sparade versionen "
    "visas nedan; dina ändringar finns kvar i formuläret. Spara igen för att "
    "ersätta den."
)
INDICATOR_CONFLICT = gettext_lazy(
    "Någon annan har ändrat indikatorn medan du redigerade. Den sparade "
    "versionen visas nedan; dina ändringar finns kvar i formuläret. Spara "
    "igen för att ersätta den."
)


def _goals_url(healthcare_region):
    return reverse("knowledge:goals", kwargs={"hr": healthcare_region.slug})


@login_required
def goal_create(request, hr):
    healthcare_region = healthcare_region_for_request(request, hr)
    selectors.require_manage(request.user, healthcare_region)
    form = GoalForm(form_data(request), healthcare_region=healthcare_region)
    if request.method == "POST":
        goal = save_form(
            form,
            lambda data: services.goal_create(
                actor=request.user,
                healthcare_region=healthcare_region,
                **{k: data[k] for k in GoalForm.Meta.fields},
            ),
        )
        if goal:
            messages.success(request, _("Målet har skapats."))
            return redirect(goal)
    return render(
        request,
        FORM_PAGE,
        {
            "healthcare_region": healthcare_region,
            "form": form,
            "title": _("Nytt mål"),
            "back_url": _goals_url(healthcare_region),
            "submit_label": _("Skapa målet"),
        },
    )


@login_required
def goal_update(request, hr, pk):
    healthcare_region = healthcare_region_for_request(request, hr)
    goal = selectors.goal_for_user(request.user, healthcare_region, pk, change=True)
    form = GoalForm(form_data(request), instance=goal, healthcare_region=healthcare_region)
    if request.method == "POST":
        saved = save_form(
            form,
            lambda data: services.goal_update(
                actor=request.user,
                goal=goal,
                fields={k: data[k] for k in GoalForm.Meta.fields},
                expected_updated_at=form.expected_version(),
            ),
            conflict_message=GOAL_CONFLICT,
        )
        if saved:
            messages.success(request, _("Målet har sparats."))
            return redirect(saved)
    return render(
        request,
        FORM_PAGE,
        {
            "healthcare_region": healthcare_region,
            "form": form,
            "title": _("Ändra målet %(title)s") % {"title": goal.title},
            "back_url": goal.get_absolute_url(),
            "submit_label": _("Spara"),
        },
    )


@login_required
def indicator_create(request, hr, pk):
    healthcare_region = healthcare_region_for_request(request, hr)
    goal = selectors.goal_for_user(request.user, healthcare_region, pk, change=True)
    form = IndicatorForm(form_data(request))
    if request.method == "POST":
        indicator = save_form(
            form,
            lambda data: services.indicator_create(
                actor=request.user, goal=goal, **{k: data[k] for k in IndicatorForm.Meta.fields}
            ),
        )
        if indicator:
            messages.success(
                request, _("Indikatorn %(name)s har lagts till.") % {"name": indicator.name}
            )
            return redirect(goal)
    return render(
        request,
        FORM_PAGE,
        {
            "healthcare_region": healthcare_region,
            "form": form,
            "title": _("Ny indikator för %(goal)s") % {"goal": goal.title},
            "back_url": goal.get_absolute_url(),
            "submit_label": _("Lägg till indikatorn"),
        },
    )


@login_required
def indicator_update(request, hr, pk):
    healthcare_region = healthcare_region_for_request(request, hr)
    indicator = selectors.indicator_for_user(request.user, healthcare_region, pk, change=True)
    form = IndicatorForm(form_data(request), instance=indicator)
    if request.method == "POST":
        saved = save_form(
            form,
            lambda data: services.indicator_update(
                actor=request.user,
                indicator=indicator,
                fields={k: data[k] for k in IndicatorForm.Meta.fields},
                expected_updated_at=form.expected_version(),
            ),
            conflict_message=INDICATOR_CONFLICT,
        )
        if saved:
            messages.success(request, _("Indikatorn har sparats."))
            return redirect(indicator.goal)
    return render(
        request,
        FORM_PAGE,
        {
            "healthcare_region": healthcare_region,
            "form": form,
            "title": _("Ändra indikatorn %(name)s") % {"name": indicator.name},
            "back_url": indicator.goal.get_absolute_url(),
            "submit_label": _("Spara"),
        },
    )


@login_required
def indicator_value_create(request, hr, pk):
    healthcare_region = healthcare_region_for_request(request, hr)
    indicator = selectors.indicator_for_user(request.user, healthcare_region, pk, change=True)
    form = IndicatorValueForm(form_data(request), healthcare_region=healthcare_region)
    if request.method == "POST":
        saved = save_form(
            form,
            lambda data: services.indicator_values_save(
                actor=request.user,
                indicator=indicator,
                rows=[services.ValueRow(data["region"], data["year"], data["value"])],
            ),
        )
        if saved:
            messages.success(request, _("Värdet har sparats."))
            return redirect(indicator.goal)
    return render(
        request,
        FORM_PAGE,
        {
            "healthcare_region": healthcare_region,
            "form": form,
            "title": _("Nytt värde: %(i)s") % {"i": indicator.name},
            "subtitle": _("Ett värde som redan finns för samma region och år ersätts."),
            "back_url": indicator.goal.get_absolute_url(),
            "submit_label": _("Spara värdet"),
        },
    )


@login_required
def indicator_upload(request, hr, pk):
    """Upload a CSV, XLSX or ODS of values; every bad row is reported and nothing is written."""
    healthcare_region = healthcare_region_for_request(request, hr)
    indicator = selectors.indicator_for_user(request.user, healthcare_region, pk, change=True)
    form = IndicatorUploadForm(
        form_data(request), request.FILES if request.method == "POST" else None
    )
    refuse_too_large(request, form, message=_("Filen är större än 2 MB."))
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > imports.MAX_BYTES:
                raise imports.UploadRejected(
                    [imports.RowError(None, "", upload.name, _("Filen är större än 2 MB."))]
                )
            table = imports.read_table(upload.name, upload.read())
            rows = imports.parse_values(table, list(selectors.regions_of(healthcare_region)))
        except imports.UploadRejected as rejected:
            errors = rejected.errors
        else:
            count = services.indicator_values_save(
                actor=request.user, indicator=indicator, rows=rows
            )
            messages.success(request, _("%(n)s värden har lästs in.") % {"n": count})
            return redirect(indicator.goal)
    return render(
        request,
        "knowledge/indicator_upload.html",
        {
            "healthcare_region": healthcare_region,
            "form": form,
            "indicator": indicator,
            "errors": errors,
        },
    )


# Search ------------------------------------------------------------------------------


def search(request, hr):
    healthcare_region = healthcare_region_for_request(request, hr)
    q = request.GET.get("q", "").strip()[:200]
    return render(
        request,
        "knowledge/search.html",
        {
            "healthcare_region": healthcare_region,
            "q": q,
            "header_search_q": q,
            "hits": knowledge_search(request.user, healthcare_region, q) if q else [],
        },
    )
