"""Aktivitetsplaner: the yearly plan, its fokusområden and activities, and what each
activity is tied to (the regions involved, the verksamhetsplan's goals)."""

import uuid

import pghistory
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from knowledge.models import RegionalGroup
from plans.models.common import PlanDocument, PlanState, track
from plans.models.operational import OperationalPlan, PlanGoal
from regions.models import Body, Region, TimestampedModel


@pghistory.track(*track())
class ActivityPlan(PlanDocument):
    operational_plan = models.ForeignKey(
        OperationalPlan,
        verbose_name=_("verksamhetsplan"),
        on_delete=models.PROTECT,
        related_name="activity_plans",
    )
    year = models.PositiveSmallIntegerField(_("år"))

    kind = "activity"

    class Meta:
        verbose_name = _("aktivitetsplan")
        verbose_name_plural = _("aktivitetsplaner")
        ordering = ["-year", "-version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=PlanState.values), name="activityplan_state_valid"
            ),
            models.CheckConstraint(
                condition=~Q(state="beslutad") | Q(decision__isnull=False),
                name="activityplan_decided_has_decision",
            ),
        ]

    def get_absolute_url(self):
        return reverse(
            "plans:activity_plan", kwargs={"hr": self.healthcare_region.slug, "pk": self.pk}
        )


@pghistory.track(*track())
class FocusArea(TimestampedModel):
    activity_plan = models.ForeignKey(
        ActivityPlan,
        verbose_name=_("aktivitetsplan"),
        on_delete=models.CASCADE,
        related_name="focus_areas",
    )
    position = models.PositiveIntegerField(_("ordning"), default=0)
    name = models.CharField(_("fokusområde"), max_length=300)
    origin = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = _("fokusområde")
        verbose_name_plural = _("fokusområden")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name


@pghistory.track(*track())
class Activity(TimestampedModel):
    focus_area = models.ForeignKey(
        FocusArea,
        verbose_name=_("fokusområde"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    position = models.PositiveIntegerField(_("ordning"), default=0)
    title = models.CharField(_("aktivitet"), max_length=500)
    description = models.TextField(_("beskrivning"), blank=True)
    responsible_body = models.ForeignKey(
        Body,
        verbose_name=_("ansvarigt organ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_activities",
    )
    responsible_group = models.ForeignKey(
        RegionalGroup,
        verbose_name=_("ansvarig grupp"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_activities",
    )
    regions = models.ManyToManyField(
        Region,
        verbose_name=_("berörda regioner"),
        blank=True,
        through="ActivityRegion",
        related_name="plan_activities",
    )
    goals = models.ManyToManyField(
        PlanGoal,
        verbose_name=_("mål i verksamhetsplanen"),
        blank=True,
        through="ActivityGoal",
        related_name="activities",
    )
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
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("berörd region")
        verbose_name_plural = _("berörda regioner")
        constraints = [
            models.UniqueConstraint(fields=["activity", "region"], name="activityregion_unique")
        ]

    def __str__(self):
        return f"{self.activity_id} – {self.region_id}"


@pghistory.track(pghistory.InsertEvent(), pghistory.DeleteEvent())
class ActivityGoal(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="goal_links")
    goal = models.ForeignKey(
        PlanGoal, verbose_name=_("mål"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("mål som aktiviteten bidrar till")
        verbose_name_plural = _("mål som aktiviteten bidrar till")
        constraints = [
            models.UniqueConstraint(fields=["activity", "goal"], name="activitygoal_unique")
        ]

    def __str__(self):
        return f"{self.activity_id} – {self.goal_id}"
