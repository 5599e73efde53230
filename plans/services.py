"""Writes of verksamhetsplaner and aktivitetsplaner.

Each function is one transaction run with the acting user as history context, so
the pghistory triggers record who made every change. Edits lock the plan row first
and refuse when the plan is no longer a draft or under beredning: a decided plan is
read-only, and a change to it is a new version. Edits of a section, goal, fokusområde
or activity carry the version the editor loaded (`expected_updated_at`); a save over
someone else's newer change is refused with `ConcurrentEditError`, never overwritten.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from core.editing import ConcurrentEditError, history_context, lock_unchanged
from documents import jobs as document_jobs
from plans import cache as plan_cache
from plans.models import (
    Activity,
    ActivityGoal,
    ActivityPlan,
    ActivityRegion,
    FocusArea,
    OperationalPlan,
    PlanGoal,
    PlanSection,
    PlanState,
)
from plans.richtext import sanitise, sanitise_inline
from regions import services as region_services
from regions.models import Body, Meeting, Region, User

__all__ = ["ConcurrentEditError"]

# The document pipeline's kinds of a plan's PDF (renderers in plans.pdf).
PLAN_PDF_KINDS = {OperationalPlan: "plans.operational_plan", ActivityPlan: "plans.activity_plan"}

RICH_FIELDS = {"introduction", "agreement_text", "plan_text", "description"}


def _clean_text(fields: dict) -> dict:
    cleaned = dict(fields)
    for name in RICH_FIELDS & cleaned.keys():
        cleaned[name] = sanitise(cleaned[name])
    if "text" in cleaned:
        cleaned["text"] = sanitise_inline(cleaned["text"])
    return cleaned


def _save(obj, *, exclude: Iterable[str] | None = None):
    obj.full_clean(exclude=exclude)
    obj.save()
    return obj


def _apply(obj, fields: dict):
    for name, value in fields.items():
        setattr(obj, name, value)
    return obj


def _lock_editable(plan):
    """Lock the plan row and refuse if it may no longer be edited."""
    locked = type(plan).objects.select_for_update().get(pk=plan.pk)
    if not locked.is_editable:
        raise ValidationError(
            _("%(plan)s är %(state)s och kan inte ändras. Skapa en ny version för att ändra den.")
            % {"plan": locked.title, "state": locked.get_state_display().lower()}
        )
    return locked


def _next_position(queryset) -> int:
    return (queryset.aggregate(n=Max("position"))["n"] or 0) + 1


def _move(obj, siblings, direction: int) -> None:
    """Move an item one step up (-1) or down (+1) among its siblings."""
    ordered = list(siblings.select_for_update().order_by("position", "pk"))
    index = next(i for i, item in enumerate(ordered) if item.pk == obj.pk)
    target = index + direction
    if not 0 <= target < len(ordered):
        return
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, item in enumerate(ordered, start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position", "updated_at"])


# Verksamhetsplaner -------------------------------------------------------------------


def operational_plan_create(
    *,
    actor: User | None,
    healthcare_region,
    title: str,
    start_year: int,
    end_year: int,
    introduction: str = "",
) -> OperationalPlan:
    """A new verksamhetsplan, as a draft."""
    with transaction.atomic(), history_context(actor):
        return _save(
            OperationalPlan(
                healthcare_region=healthcare_region,
                title=title,
                start_year=start_year,
                end_year=end_year,
                introduction=sanitise(introduction),
            )
        )


def operational_plan_update(
    *,
    actor: User | None,
    plan: OperationalPlan,
    fields: dict,
    expected_updated_at: datetime.datetime | None = None,
) -> OperationalPlan:
    with transaction.atomic(), history_context(actor):
        _lock_editable(plan)
        current = lock_unchanged(OperationalPlan, plan.pk, expected_updated_at)
        return _save(_apply(current, _clean_text(fields)))


def section_create(
    *,
    actor: User | None,
    plan: OperationalPlan,
    heading: str,
    number: str = "",
    agreement_text: str = "",
    plan_text: str = "",
) -> PlanSection:
    with transaction.atomic(), history_context(actor):
        plan = _lock_editable(plan)
        return _save(
            PlanSection(
                plan=plan,
                position=_next_position(plan.sections),
                heading=heading,
                number=number.strip().removeprefix("§").strip(),
                **_clean_text({"agreement_text": agreement_text, "plan_text": plan_text}),
            )
        )


def section_update(
    *,
    actor: User | None,
    section: PlanSection,
    fields: dict,
    expected_updated_at: datetime.datetime | None = None,
) -> PlanSection:
    with transaction.atomic(), history_context(actor):
        _lock_editable(section.plan)
        current = lock_unchanged(PlanSection, section.pk, expected_updated_at)
        fields = _clean_text(fields)
        if "number" in fields:
            fields["number"] = fields["number"].strip().removeprefix("§").strip()
        return _save(_apply(current, fields))


def section_delete(*, actor: User | None, section: PlanSection) -> None:
    with transaction.atomic(), history_context(actor):
        _lock_editable(section.plan)
        section.delete()


def section_move(*, actor: User | None, section: PlanSection, direction: int) -> None:
    with transaction.atomic(), history_context(actor):
        plan = _lock_editable(section.plan)
        _move(section, plan.sections.all(), direction)


def goal_create(*, actor: User | None, section: PlanSection, text: str) -> PlanGoal:
    with transaction.atomic(), history_context(actor):
        _lock_editable(section.plan)
        return _save(
            PlanGoal(
                section=section, position=_next_position(section.goals), text=sanitise_inline(text)
            )
        )


def goal_update(
    *,
    actor: User | None,
    goal: PlanGoal,
    fields: dict,
    expected_updated_at: datetime.datetime | None = None,
) -> PlanGoal:
    with transaction.atomic(), history_context(actor):
        _lock_editable(goal.section.plan)
        current = lock_unchanged(PlanGoal, goal.pk, expected_updated_at)
        return _save(_apply(current, _clean_text(fields)))


def goal_delete(*, actor: User | None, goal: PlanGoal) -> None:
    with transaction.atomic(), history_context(actor):
        _lock_editable(goal.section.plan)
        goal.delete()


def goal_move(*, actor: User | None, goal: PlanGoal, direction: int) -> None:
    with transaction.atomic(), history_context(actor):
        _lock_editable(goal.section.plan)
        _move(goal, goal.section.goals.all(), direction)


# Aktivitetsplaner --------------------------------------------------------------------


def _check_year(operational_plan: OperationalPlan, year: int) -> None:
    if not operational_plan.start_year <= year <= operational_plan.end_year:
        raise ValidationError(
            {
                "year": _("Året ligger utanför verksamhetsplanens period %(period)s.")
                % {"period": operational_plan.period}
            }
        )


def activity_plan_create(
    *,
    actor: User | None,
    operational_plan: OperationalPlan,
    year: int,
    title: str = "",
    introduction: str = "",
    focus_areas: Iterable[str] = (),
) -> ActivityPlan:
    """A new aktivitetsplan for a year of the verksamhetsplan, as a draft."""
    with transaction.atomic(), history_context(actor):
        _check_year(operational_plan, year)
        plan = _save(
            ActivityPlan(
                healthcare_region_id=operational_plan.healthcare_region_id,
                operational_plan=operational_plan,
                year=year,
                title=title or _("Aktivitetsplan %(year)s") % {"year": year},
                introduction=sanitise(introduction),
            )
        )
        FocusArea.objects.bulk_create(
            FocusArea(activity_plan=plan, position=i, name=name)
            for i, name in enumerate(focus_areas, start=1)
        )
        return plan


def activity_plan_update(
    *,
    actor: User | None,
    plan: ActivityPlan,
    fields: dict,
    expected_updated_at: datetime.datetime | None = None,
) -> ActivityPlan:
    with transaction.atomic(), history_context(actor):
        _lock_editable(plan)
        current = lock_unchanged(ActivityPlan, plan.pk, expected_updated_at)
        _apply(current, _clean_text(fields))
        _check_year(current.operational_plan, current.year)
        return _save(current)


def focus_area_create(*, actor: User | None, plan: ActivityPlan, name: str) -> FocusArea:
    with transaction.atomic(), history_context(actor):
        plan = _lock_editable(plan)
        return _save(
            FocusArea(activity_plan=plan, position=_next_position(plan.focus_areas), name=name)
        )


def focus_area_update(
    *,
    actor: User | None,
    focus_area: FocusArea,
    fields: dict,
    expected_updated_at: datetime.datetime | None = None,
) -> FocusArea:
    with transaction.atomic(), history_context(actor):
        _lock_editable(focus_area.activity_plan)
        current = lock_unchanged(FocusArea, focus_area.pk, expected_updated_at)
        return _save(_apply(current, fields))


def focus_area_delete(*, actor: User | None, focus_area: FocusArea) -> None:
    with transaction.atomic(), history_context(actor):
        _lock_editable(focus_area.activity_plan)
        if focus_area.activities.exists():
            raise ValidationError(
                _("Fokusområdet har aktiviteter. Flytta eller ta bort dem först.")
            )
        focus_area.delete()


def focus_area_move(*, actor: User | None, focus_area: FocusArea, direction: int) -> None:
    with transaction.atomic(), history_context(actor):
        plan = _lock_editable(focus_area.activity_plan)
        _move(focus_area, plan.focus_areas.all(), direction)


def check_activity_relations(
    plan: ActivityPlan,
    *,
    focus_area=None,
    responsible_body=None,
    responsible_group=None,
    regions=(),
    goals=(),
) -> None:
    """The activity's fokusområde, responsible, regions and goals belong to the plan."""
    errors = {}
    if focus_area is not None and focus_area.activity_plan_id != plan.pk:
        errors["focus_area"] = _("Fokusområdet hör till en annan aktivitetsplan.")
    if responsible_body is not None and responsible_group is not None:
        errors["responsible_group"] = _(
            "Ange antingen ett ansvarigt organ eller en ansvarig grupp, inte båda."
        )
    if responsible_body is not None and (
        responsible_body.healthcare_region_id != plan.healthcare_region_id
    ):
        errors["responsible_body"] = _("Organet hör till en annan sjukvårdsregion.")
    if responsible_group is not None and (
        responsible_group.healthcare_region_id != plan.healthcare_region_id
    ):
        errors["responsible_group"] = _("Gruppen hör till en annan sjukvårdsregion.")
    for region in regions:
        if plan.healthcare_region_id not in (
            region.healthcare_region_id,
            region.cooperates_with_id,
        ):
            errors["regions"] = _("%(region)s ingår inte i sjukvårdsregionen.") % {"region": region}
    for goal in goals:
        if goal.section.plan_id != plan.operational_plan_id:
            errors["goals"] = _("Målet hör till en annan verksamhetsplan.")
    if errors:
        raise ValidationError(errors)


def _set_relations(activity: Activity, regions, goals) -> None:
    if regions is not None:
        activity.regions.set(regions)
    if goals is not None:
        activity.goals.set(goals)


def activity_create(
    *,
    actor: User | None,
    focus_area: FocusArea,
    title: str,
    description: str = "",
    responsible_body: Body | None = None,
    responsible_group=None,
    regions: Iterable[Region] = (),
    goals: Iterable[PlanGoal] = (),
) -> Activity:
    with transaction.atomic(), history_context(actor):
        plan = _lock_editable(focus_area.activity_plan)
        regions, goals = list(regions), list(goals)
        check_activity_relations(
            plan,
            focus_area=focus_area,
            responsible_body=responsible_body,
            responsible_group=responsible_group,
            regions=regions,
            goals=goals,
        )
        activity = _save(
            Activity(
                focus_area=focus_area,
                position=_next_position(focus_area.activities),
                title=title,
                description=sanitise(description),
                responsible_body=responsible_body,
                responsible_group=responsible_group,
            )
        )
        _set_relations(activity, regions, goals)
        return activity


def activity_update(
    *,
    actor: User | None,
    activity: Activity,
    fields: dict,
    expected_updated_at: datetime.datetime | None = None,
) -> Activity:
    """Change an activity; `fields` may hold `regions` and `goals` (replaced as given)."""
    fields = dict(fields)
    regions = fields.pop("regions", None)
    goals = fields.pop("goals", None)
    with transaction.atomic(), history_context(actor):
        plan = _lock_editable(activity.focus_area.activity_plan)
        current = lock_unchanged(Activity, activity.pk, expected_updated_at)
        moved = "focus_area" in fields and fields["focus_area"].pk != current.focus_area_id
        _apply(current, _clean_text(fields))
        check_activity_relations(
            plan,
            focus_area=current.focus_area,
            responsible_body=current.responsible_body,
            responsible_group=current.responsible_group,
            regions=regions or (),
            goals=goals or (),
        )
        if moved:
            current.position = _next_position(current.focus_area.activities)
        # Relations first: a change of regions or goals alone must still move updated_at,
        # so that a concurrent editor of the same activity is told.
        _set_relations(current, regions, goals)
        return _save(current)


def activity_delete(*, actor: User | None, activity: Activity) -> None:
    with transaction.atomic(), history_context(actor):
        _lock_editable(activity.focus_area.activity_plan)
        activity.delete()


def activity_move(*, actor: User | None, activity: Activity, direction: int) -> None:
    with transaction.atomic(), history_context(actor):
        _lock_editable(activity.focus_area.activity_plan)
        _move(activity, activity.focus_area.activities.all(), direction)


# Lifecycle ---------------------------------------------------------------------------

# Moves a kansli member makes with a button; "beslutad" is reached only through
# plan_decide, which records the decision (§) it rests on.
TRANSITIONS = {
    PlanState.DRAFT: {PlanState.REVIEW},
    PlanState.REVIEW: {PlanState.DRAFT},
    PlanState.DECIDED: {PlanState.ARCHIVED},
    PlanState.ARCHIVED: set(),
}


def _illegal(plan, to_state) -> ValidationError:
    return ValidationError(
        _("%(plan)s kan inte gå från %(from)s till %(to)s.")
        % {
            "plan": plan.title,
            "from": plan.get_state_display().lower(),
            "to": str(dict(PlanState.choices).get(to_state, to_state)).lower(),
        }
    )


def plan_transition(*, actor: User | None, plan, to_state: str):
    """Send a plan to beredning, back to utkast, or archive a decided plan."""
    with transaction.atomic(), history_context(actor):
        current = type(plan).objects.select_for_update().get(pk=plan.pk)
        if to_state not in TRANSITIONS.get(current.state, set()):
            raise _illegal(current, to_state)
        current.state = to_state
        return _save(current)


def plan_decide(
    *,
    actor: User | None,
    plan,
    meeting: Meeting,
    title: str = "",
    text: str = "",
    paragraph: int | None = None,
):
    """Record the nämnd's decision (§) on a plan under beredning; the plan becomes beslutad.

    The decision points at the plan (Decision.subject) and the plan at the decision.
    An earlier decided version of the same plan is archived: one version is in force.
    The PDF of the plan as decided is requested in the same transaction, as the frozen
    snapshot: the decision and its job commit together, and the job is queued after.
    """
    with transaction.atomic(), history_context(actor):
        current = type(plan).objects.select_for_update().get(pk=plan.pk)
        if current.state != PlanState.REVIEW:
            raise _illegal(current, PlanState.DECIDED)
        if meeting.body.healthcare_region_id != current.healthcare_region_id:
            raise ValidationError({"meeting": _("Sammanträdet hör till en annan sjukvårdsregion.")})
        decision = region_services.decision_create(
            actor=actor,
            meeting=meeting,
            paragraph=paragraph,
            title=title or current.title,
            text=text or _("Nämnden fastställer %(plan)s.") % {"plan": current.title},
            subject=current,
        )
        current.decision = decision
        current.state = PlanState.DECIDED
        _save(current)
        if (
            type(plan)
            .objects.filter(pk=current.previous_version_id, state=PlanState.DECIDED)
            .update(state=PlanState.ARCHIVED)
        ):
            plan_cache.changed()
        document_jobs.document_request(
            actor=actor, subject=current, kind=plan_pdf_kind(current), snapshot=True
        )
        return current


def plan_pdf_kind(plan) -> str:
    return PLAN_PDF_KINDS[type(plan)]


def plan_pdf_request(*, actor: User | None, plan):
    """Queue a PDF of the plan as it reads now ("Skapa PDF"). Bytes equal to an earlier
    version's reuse its file; the snapshot made at the decision never changes."""
    return document_jobs.document_request(actor=actor, subject=plan, kind=plan_pdf_kind(plan))


def plan_decisions_link(*, actor: User | None = None) -> int:
    """Point each plan's decision back at the plan (Decision.subject) where it does not yet.

    plan_decide sets both sides; plans loaded from fixtures name their decision, but the
    decision in governance.yaml cannot name the plan (regions knows nothing of plans).
    Returns how many decisions were linked.
    """
    linked = 0
    with transaction.atomic():
        for model in (OperationalPlan, ActivityPlan):
            for plan in model.objects.filter(
                decision__isnull=False, decision__subject_id__isnull=True
            ).select_related("decision__meeting"):
                region_services.decision_update(
                    actor=actor, decision=plan.decision, fields={"subject": plan}
                )
                linked += 1
    return linked


def _copy_document(plan, **changes):
    fields = {
        f.attname: getattr(plan, f.attname)
        for f in type(plan)._meta.concrete_fields
        if f.attname not in {"id", "created_at", "updated_at"}
    }
    fields.update(state=PlanState.DRAFT, decision_id=None, **changes)
    return _save(type(plan)(**fields))


def _copy_activities(activities, focus_area_map: dict[int, FocusArea]) -> None:
    activities = list(activities)
    copies = Activity.objects.bulk_create(
        Activity(
            focus_area=focus_area_map[a.focus_area_id],
            position=a.position,
            title=a.title,
            description=a.description,
            responsible_body_id=a.responsible_body_id,
            responsible_group_id=a.responsible_group_id,
            origin=a.origin,
        )
        for a in activities
    )
    pairs = list(zip(activities, copies, strict=True))
    ActivityRegion.objects.bulk_create(
        ActivityRegion(activity=copy, region_id=link.region_id)
        for original, copy in pairs
        for link in original.region_links.all()
    )
    ActivityGoal.objects.bulk_create(
        ActivityGoal(activity=copy, goal_id=link.goal_id)
        for original, copy in pairs
        for link in original.goal_links.all()
    )


def _activities_with_links(queryset):
    return queryset.prefetch_related("region_links", "goal_links")


def plan_new_version(*, actor: User | None, plan):
    """A draft copy of a decided plan ("Ny version"); the decided one stays in force."""
    with transaction.atomic(), history_context(actor):
        current = type(plan).objects.select_for_update().get(pk=plan.pk)
        if current.state != PlanState.DECIDED:
            raise ValidationError(_("Bara en beslutad plan kan få en ny version."))
        if current.next_versions.filter(state__in=[PlanState.DRAFT, PlanState.REVIEW]).exists():
            raise ValidationError(_("Det finns redan en ny version under arbete."))
        copy = _copy_document(current, version=current.version + 1, previous_version_id=current.pk)
        if isinstance(current, OperationalPlan):
            sections = list(current.sections.prefetch_related("goals"))
            new_sections = PlanSection.objects.bulk_create(
                PlanSection(
                    plan=copy,
                    position=s.position,
                    number=s.number,
                    heading=s.heading,
                    agreement_text=s.agreement_text,
                    plan_text=s.plan_text,
                    origin=s.origin,
                )
                for s in sections
            )
            PlanGoal.objects.bulk_create(
                PlanGoal(section=new, position=g.position, text=g.text, origin=g.origin)
                for old, new in zip(sections, new_sections, strict=True)
                for g in old.goals.all()
            )
        else:
            focus_areas = list(current.focus_areas.all())
            new_areas = FocusArea.objects.bulk_create(
                FocusArea(activity_plan=copy, position=f.position, name=f.name, origin=f.origin)
                for f in focus_areas
            )
            area_map = {old.pk: new for old, new in zip(focus_areas, new_areas, strict=True)}
            _copy_activities(
                _activities_with_links(Activity.objects.filter(focus_area__activity_plan=current)),
                area_map,
            )
        return copy


def activity_plan_copy_to_year(
    *,
    actor: User | None,
    plan: ActivityPlan,
    year: int,
    activity_ids: Iterable[int],
    operational_plan: OperationalPlan | None = None,
) -> ActivityPlan:
    """Next year's aktivitetsplan from this one, in one step: its fokusområden and the
    activities chosen to carry over, as a new draft."""
    activity_ids = set(activity_ids)
    with transaction.atomic(), history_context(actor):
        operational_plan = operational_plan or plan.operational_plan
        _check_year(operational_plan, year)
        chosen = Activity.objects.filter(focus_area__activity_plan=plan, pk__in=activity_ids)
        if len(activity_ids) != chosen.count():
            raise ValidationError(
                {"activities": _("Någon av de valda aktiviteterna hör inte till planen.")}
            )
        new_plan = _save(
            ActivityPlan(
                healthcare_region_id=plan.healthcare_region_id,
                operational_plan=operational_plan,
                year=year,
                title=_("Aktivitetsplan %(year)s") % {"year": year},
                introduction=plan.introduction,
            )
        )
        focus_areas = list(plan.focus_areas.all())
        new_areas = FocusArea.objects.bulk_create(
            FocusArea(activity_plan=new_plan, position=f.position, name=f.name, origin=f.origin)
            for f in focus_areas
        )
        area_map = {old.pk: new for old, new in zip(focus_areas, new_areas, strict=True)}
        _copy_activities(_activities_with_links(chosen.order_by("position", "pk")), area_map)
        if operational_plan.pk != plan.operational_plan_id:
            # Goals belong to the verksamhetsplan; under another one they do not carry over.
            ActivityGoal.objects.filter(activity__focus_area__activity_plan=new_plan).delete()
        return new_plan


def activities_import(*, actor: User | None, plan: ActivityPlan, rows) -> int:
    """Add checked rows (plans.spreadsheets.parse_activities) as activities, all or none."""
    with transaction.atomic(), history_context(actor):
        plan = _lock_editable(plan)
        next_position = {}
        created = 0
        for row in rows:
            area = row.focus_area
            if area.pk not in next_position:
                next_position[area.pk] = _next_position(area.activities)
            activity = _save(
                Activity(
                    focus_area=area,
                    position=next_position[area.pk],
                    title=row.title,
                    description=sanitise(row.description),
                    responsible_body=row.responsible_body,
                    responsible_group=row.responsible_group,
                )
            )
            next_position[area.pk] += 1
            if row.regions:
                activity.regions.set(row.regions)
            created += 1
        return created
