"""The plans' part of the sjukvårdsregion's search (registered with knowledge.search).

Finds verksamhetsplaner, their sections and goals, aktivitetsplaner and their
activities, ranked the same way as groups, promises and goals (Swedish full text
with a trigram fallback). Only plans the user may read are searched: decided ones
for everyone, drafts and plans under beredning for those who may see them
(plans.selectors.visible_states). Archived versions are left out: their text lives
on in the version in force, and would otherwise be found twice.
"""

from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from knowledge.search import Hit, ranked, search_words
from plans.models import Activity, ActivityPlan, OperationalPlan, PlanGoal, PlanSection, PlanState
from plans.selectors import visible_states


def _plan_url(plan, anchor: str = "") -> str:
    name = "plans:operational_plan" if isinstance(plan, OperationalPlan) else "plans:activity_plan"
    url = reverse(name, kwargs={"hr": plan.healthcare_region.slug, "pk": plan.pk})
    return f"{url}#{anchor}" if anchor else url


def _where(plan) -> str:
    if plan.state == PlanState.DECIDED:
        return plan.title
    return f"{plan.title} ({plan.get_state_display().lower()})"


def plan_search(user, healthcare_region, q: str) -> list[Hit]:
    """Ranked hits among the plans, sections, goals and activities the user may read."""
    words = search_words(q)
    if not words:
        return []
    states = [s for s in visible_states(user, healthcare_region) if s != PlanState.ARCHIVED]
    operational = OperationalPlan.objects.filter(
        healthcare_region=healthcare_region, state__in=states
    )
    activity_plans = ActivityPlan.objects.filter(
        healthcare_region=healthcare_region, state__in=states
    )
    hits = []
    for plan in ranked(
        operational.select_related("healthcare_region"), ["title", "introduction"], words, "title"
    ):
        hits.append(
            Hit(
                _("Verksamhetsplan"),
                plan.title,
                _plan_url(plan),
                _where(plan) if plan.state != PlanState.DECIDED else plan.period,
                plan.rank,
            )
        )
    for section in ranked(
        PlanSection.objects.filter(plan__in=operational).select_related("plan__healthcare_region"),
        ["heading", "agreement_text", "plan_text"],
        words,
        "heading",
    ):
        hits.append(
            Hit(
                _("Avsnitt"),
                str(section),
                _plan_url(section.plan, f"avsnitt-{section.pk}"),
                _where(section.plan),
                section.rank,
            )
        )
    for goal in ranked(
        PlanGoal.objects.filter(section__plan__in=operational).select_related(
            "section__plan__healthcare_region"
        ),
        ["text"],
        words,
        "text",
    ):
        hits.append(
            Hit(
                _("Mål i verksamhetsplanen"),
                str(goal),
                _plan_url(goal.section.plan, f"mal-{goal.pk}"),
                _where(goal.section.plan),
                goal.rank,
            )
        )
    for plan in ranked(
        activity_plans.select_related("healthcare_region"),
        ["title", "introduction"],
        words,
        "title",
    ):
        hits.append(Hit(_("Aktivitetsplan"), plan.title, _plan_url(plan), _where(plan), plan.rank))
    for activity in ranked(
        Activity.objects.filter(focus_area__activity_plan__in=activity_plans).select_related(
            "focus_area__activity_plan__healthcare_region"
        ),
        ["title", "description"],
        words,
        "title",
    ):
        plan = activity.focus_area.activity_plan
        hits.append(
            Hit(
                _("Aktivitet"),
                strip_tags(activity.title),
                _plan_url(plan, f"aktivitet-{activity.pk}"),
                f"{_where(plan)}, {activity.focus_area.name}",
                activity.rank,
            )
        )
    return hits
