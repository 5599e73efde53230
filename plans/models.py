"""Verksamhetsplaner and aktivitetsplaner: sections, goals, fokusområden and activities.

Models hold single-row rules and constraints; writes go through `plans.services`,
reads and access checks through `plans.selectors`. Every table is tracked by
django-pghistory, so the plan's Historik page can show who changed what.

A plan is versioned: "Ny version" copies a decided plan into a new draft. Each copied
section, goal, fokusområde and activity keeps the `origin` of the one it was copied
from, which is how two versions are compared item by item.
"""

import uuid

import pghistory
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from knowledge.models import RegionalGroup
from regions.models import Body, Decision, HealthcareRegion, Region, TimestampedModel


def _track():
    # Fresh trackers per model: pghistory binds each one to the model it decorates.
    return (pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())


class PlanState(models.TextChoices):
    DRAFT = "utkast", _("Utkast")
    REVIEW = "beredning", _("Under beredning")
    DECIDED = "beslutad", _("Beslutad")
    ARCHIVED = "arkiverad", _("Arkiverad")


PUBLIC_STATES = (PlanState.DECIDED, PlanState.ARCHIVED)
EDITABLE_STATES = (PlanState.DRAFT, PlanState.REVIEW)


class PlanDocument(TimestampedModel):
    """What a verksamhetsplan and an aktivitetsplan share: state, decision and version."""

    healthcare_region = models.ForeignKey(
        HealthcareRegion, verbose_name=_("sjukvårdsregion"), on_delete=models.PROTECT,
        related_name="%(class)ss",
    )
    title = models.CharField(_("rubrik"), max_length=300)
    introduction = models.TextField(_("inledning"), blank=True)
    state = models.CharField(_("status"), max_length=12, choices=PlanState.choices,
                             default=PlanState.DRAFT)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous_version = models.ForeignKey(
        "self", verbose_name=_("föregående version"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="next_versions",
    )
    decision = models.ForeignKey(
        Decision, verbose_name=_("beslut"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True

    def __str__(self):
        return self.title

    @property
    def is_public(self) -> bool:
        return self.state in PUBLIC_STATES

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES


@pghistory.track(*_track())
class OperationalPlan(PlanDocument):
    start_year = models.PositiveSmallIntegerField(_("från år"))
    end_year = models.PositiveSmallIntegerField(_("till och med år"))

    kind = "operational"

    class Meta:
        verbose_name = _("verksamhetsplan")
        verbose_name_plural = _("verksamhetsplaner")
        ordering = ["-start_year", "-version"]
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gte=F("start_year")),
                                   name="operationalplan_years_in_order"),
            models.CheckConstraint(condition=Q(state__in=PlanState.values),
                                   name="operationalplan_state_valid"),
            models.CheckConstraint(condition=~Q(state="beslutad") | Q(decision__isnull=False),
                                   name="operationalplan_decided_has_decision"),
        ]

    def get_absolute_url(self):
        return reverse("plans:operational_plan",
                       kwargs={"hr": self.healthcare_region.slug, "pk": self.pk})

    @property
    def period(self) -> str:
        return f"{self.start_year}–{self.end_year}"


@pghistory.track(*_track())
class PlanSection(TimestampedModel):
    """A section of a verksamhetsplan; Södra's follow the agreement's paragraphs (§ 8.3)."""

    plan = models.ForeignKey(OperationalPlan, verbose_name=_("verksamhetsplan"),
                             on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField(_("ordning"), default=0)
    number = models.CharField(_("paragraf i avtalet"), max_length=20, blank=True,
                              help_text=_("Till exempel 8.3 för § 8.3. Lämnas tom om avsnittet "
                                          "inte följer samverkansavtalet."))
    heading = models.CharField(_("rubrik"), max_length=300)
    agreement_text = models.TextField(_("avtalets text"), blank=True)
    plan_text = models.TextField(_("planens text"), blank=True)
    origin = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = _("avsnitt")
        verbose_name_plural = _("avsnitt")
        ordering = ["position", "pk"]

    def __str__(self):
        return f"§ {self.number} {self.heading}" if self.number else self.heading


@pghistory.track(*_track())
class PlanGoal(TimestampedModel):
    section = models.ForeignKey(PlanSection, verbose_name=_("avsnitt"),
                                on_delete=models.CASCADE, related_name="goals")
    position = models.PositiveIntegerField(_("ordning"), default=0)
    text = models.TextField(_("mål"))
    origin = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = _("mål i planen")
        verbose_name_plural = _("mål i planen")
        ordering = ["position", "pk"]

    def __str__(self):
        from django.utils.html import strip_tags

        text = strip_tags(self.text)
        return text if len(text) <= 90 else f"{text[:89]}…"


@pghistory.track(*_track())
class ActivityPlan(PlanDocument):
    operational_plan = models.ForeignKey(
        OperationalPlan, verbose_name=_("verksamhetsplan"), on_delete=models.PROTECT,
        related_name="activity_plans",
    )
    year = models.PositiveSmallIntegerField(_("år"))

    kind = "activity"

    class Meta:
        verbose_name = _("aktivitetsplan")
        verbose_name_plural = _("aktivitetsplaner")
        ordering = ["-year", "-version"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=PlanState.values),
                                   name="activityplan_state_valid"),
            models.CheckConstraint(condition=~Q(state="beslutad") | Q(decision__isnull=False),
                                   name="activityplan_decided_has_decision"),
        ]

    def get_absolute_url(self):
        return reverse("plans:activity_plan",
                       kwargs={"hr": self.healthcare_region.slug, "pk": self.pk})


@pghistory.track(*_track())
class FocusArea(TimestampedModel):
    activity_plan = models.ForeignKey(ActivityPlan, verbose_name=_("aktivitetsplan"),
                                      on_delete=models.CASCADE, related_name="focus_areas")
    position = models.PositiveIntegerField(_("ordning"), default=0)
    name = models.CharField(_("fokusområde"), max_length=300)
    origin = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = _("fokusområde")
        verbose_name_plural = _("fokusområden")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name


@pghistory.track(*_track())
class Activity(TimestampedModel):
    focus_area = models.ForeignKey(FocusArea, verbose_name=_("fokusområde"),
                                   on_delete=models.CASCADE, related_name="activities")
    position = models.PositiveIntegerField(_("ordning"), default=0)
    title = models.CharField(_("aktivitet"), max_length=500)
    description = models.TextField(_("beskrivning"), blank=True)
    responsible_body = models.ForeignKey(
        Body, verbose_name=_("ansvarigt organ"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="plan_activities",
    )
    responsible_group = models.ForeignKey(
        RegionalGroup, verbose_name=_("ansvarig grupp"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="plan_activities",
    )
    regions = models.ManyToManyField(Region, verbose_name=_("berörda regioner"), blank=True,
                                     through="ActivityRegion", related_name="plan_activities")
    goals = models.ManyToManyField(PlanGoal, verbose_name=_("mål i verksamhetsplanen"),
                                   blank=True, through="ActivityGoal", related_name="activities")
    origin = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(responsible_body__isnull=True) | Q(responsible_group__isnull=True),
                name="activity_one_responsible",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def responsible(self):
        return self.responsible_body or self.responsible_group


@pghistory.track(pghistory.InsertEvent(), pghistory.DeleteEvent())
class ActivityRegion(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="region_links")
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT,
                               related_name="+")

    class Meta:
        verbose_name = _("berörd region")
        verbose_name_plural = _("berörda regioner")
        constraints = [models.UniqueConstraint(fields=["activity", "region"],
                                               name="activityregion_unique")]

    def __str__(self):
        return f"{self.activity_id} – {self.region_id}"


@pghistory.track(pghistory.InsertEvent(), pghistory.DeleteEvent())
class ActivityGoal(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="goal_links")
    goal = models.ForeignKey(PlanGoal, verbose_name=_("mål"), on_delete=models.CASCADE,
                             related_name="+")

    class Meta:
        verbose_name = _("mål som aktiviteten bidrar till")
        verbose_name_plural = _("mål som aktiviteten bidrar till")
        constraints = [models.UniqueConstraint(fields=["activity", "goal"],
                                               name="activitygoal_unique")]

    def __str__(self):
        return f"{self.activity_id} – {self.goal_id}"


from plans.followup_models import *  # noqa: E402,F401,F403 (återrapporter: see its __all__)
