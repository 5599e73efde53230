"""Reads of the plan pages, and every access check of them.

Who sees a plan depends on its state: a draft (utkast) only the kansli
(manage_plans), a plan under beredning also the nämnd and the ledningsgrupp
(view_internal), a decided or archived plan everyone. A plan the user may not see
answers 404, exactly like one that does not exist; changing needs manage_plans
(403 for those who may read), and a decided plan is read-only for everyone (403).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from knowledge.models import RegionalGroup
from plans.models import (
    PUBLIC_STATES,
    Activity,
    ActivityPlan,
    FocusArea,
    OperationalPlan,
    PlanGoal,
    PlanSection,
    PlanState,
)
from regions import permissions
from regions.models import Body, HealthcareRegion, Meeting, Region
from regions.selectors import permissions_for_user

MANAGE = permissions.MANAGE_PLANS
INTERNAL = permissions.VIEW_INTERNAL


def can_manage_plans(user, healthcare_region: HealthcareRegion) -> bool:
    return permissions_for_user(user).has_healthcare_region_perm(MANAGE, healthcare_region.pk)


def visible_states(user, healthcare_region: HealthcareRegion) -> list[str]:
    perms = permissions_for_user(user)
    if perms.has_healthcare_region_perm(MANAGE, healthcare_region.pk):
        return list(PlanState.values)
    if perms.has_healthcare_region_perm(INTERNAL, healthcare_region.pk):
        return [PlanState.REVIEW, *PUBLIC_STATES]
    return list(PUBLIC_STATES)


def operational_plans_visible_to(user, healthcare_region) -> QuerySet[OperationalPlan]:
    return OperationalPlan.objects.filter(
        healthcare_region=healthcare_region, state__in=visible_states(user, healthcare_region)
    ).select_related("healthcare_region", "decision__meeting")


def activity_plans_visible_to(user, healthcare_region) -> QuerySet[ActivityPlan]:
    return ActivityPlan.objects.filter(
        healthcare_region=healthcare_region, state__in=visible_states(user, healthcare_region)
    ).select_related(
        "healthcare_region", "decision__meeting", "operational_plan__healthcare_region"
    )


def plan_for_user(
    user,
    healthcare_region: HealthcareRegion,
    model,
    pk,
    *,
    change: bool = False,
    edit: bool = False,
):
    """A verksamhetsplan or aktivitetsplan the user may read (404 otherwise).

    change=True: 403 unless the user manages the sjukvårdsregion's plans.
    edit=True: as change, and 403 too when the plan is decided or archived (read-only).
    """
    queryset = (
        operational_plans_visible_to if model is OperationalPlan else activity_plans_visible_to
    )(user, healthcare_region)
    try:
        plan = queryset.get(pk=pk)
    except (model.DoesNotExist, ValueError):
        raise Http404 from None
    if (change or edit) and not can_manage_plans(user, healthcare_region):
        raise PermissionDenied
    if edit and not plan.is_editable:
        raise PermissionDenied
    return plan


def _child(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError):
        raise Http404 from None


def section_of(plan: OperationalPlan, pk) -> PlanSection:
    """A section of a plan the caller has already checked access to."""
    section = _child(plan.sections.all(), pk)
    section.plan = plan
    return section


def goal_of(plan: OperationalPlan, pk) -> PlanGoal:
    goal = _child(PlanGoal.objects.filter(section__plan=plan).select_related("section"), pk)
    goal.section.plan = plan
    return goal


def focus_area_of(plan: ActivityPlan, pk) -> FocusArea:
    focus_area = _child(plan.focus_areas.all(), pk)
    focus_area.activity_plan = plan
    return focus_area


def activity_of(plan: ActivityPlan, pk) -> Activity:
    activity = _child(
        Activity.objects.filter(focus_area__activity_plan=plan)
        .select_related("focus_area", "responsible_body", "responsible_group")
        .prefetch_related("regions", "goals"),
        pk,
    )
    activity.focus_area.activity_plan = plan
    return activity


def sections_with_goals(plan: OperationalPlan) -> list[PlanSection]:
    """The plan's sections with their goals: two queries whatever the plan's size."""
    return list(
        plan.sections.prefetch_related(
            Prefetch("goals", queryset=PlanGoal.objects.order_by("position", "pk"))
        )
    )


def activities_queryset() -> QuerySet[Activity]:
    return Activity.objects.select_related(
        "responsible_body", "responsible_group"
    ).prefetch_related(
        Prefetch("regions", queryset=Region.objects.order_by("scb_code")),
        Prefetch("goals", queryset=PlanGoal.objects.select_related("section")),
    )


def focus_areas_with_activities(plan: ActivityPlan) -> list[FocusArea]:
    """The plan's fokusområden and activities with what they refer to, in constant queries."""
    return list(
        plan.focus_areas.prefetch_related(
            Prefetch("activities", queryset=activities_queryset().order_by("position", "pk"))
        )
    )


def plan_versions(plan) -> list:
    """All versions of the plan, oldest first; one query per version, not per item."""
    model = type(plan)
    chain = [plan]
    while chain[0].previous_version_id:
        chain.insert(0, model.objects.get(pk=chain[0].previous_version_id))
    while (following := model.objects.filter(previous_version=chain[-1]).first()) is not None:
        chain.append(following)
    return chain


def plan_versions_visible_to(user, plan) -> list:
    """The versions of the plan the user may read: a draft of the next version is
    internal, also when the version in force is public."""
    states = visible_states(user, plan.healthcare_region)
    return [version for version in plan_versions(plan) if version.state in states]


# Choices for the forms ---------------------------------------------------------------


def bodies_for(healthcare_region) -> QuerySet[Body]:
    return Body.objects.filter(healthcare_region=healthcare_region)


def groups_for(healthcare_region) -> QuerySet[RegionalGroup]:
    return RegionalGroup.objects.filter(healthcare_region=healthcare_region)


def regions_for(healthcare_region) -> QuerySet[Region]:
    return Region.objects.filter(
        Q(healthcare_region=healthcare_region) | Q(cooperates_with=healthcare_region)
    )


def goals_for(plan: ActivityPlan) -> QuerySet[PlanGoal]:
    return (
        PlanGoal.objects.filter(section__plan=plan.operational_plan_id)
        .select_related("section")
        .order_by("section__position", "position")
    )


def meetings_for_decision(healthcare_region) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(body__healthcare_region=healthcare_region)
        .select_related("body")
        .order_by("-date")
    )
