"""Verksamhetsplaner: the multi-year plan, its sections and their goals."""

import uuid

import pghistory
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from plans.models.common import PlanDocument, PlanState, track
from regions.models import TimestampedModel


@pghistory.track(*track())
class OperationalPlan(PlanDocument):
    start_year = models.PositiveSmallIntegerField(_("från år"))
    end_year = models.PositiveSmallIntegerField(_("till och med år"))

    kind = "operational"

    class Meta:
        verbose_name = _("verksamhetsplan")
        verbose_name_plural = _("verksamhetsplaner")
        ordering = ["-start_year", "-version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")), name="operationalplan_years_in_order"
            ),
            models.CheckConstraint(
                condition=Q(state__in=PlanState.values), name="operationalplan_state_valid"
            ),
            models.CheckConstraint(
                condition=~Q(state="beslutad") | Q(decision__isnull=False),
                name="operationalplan_decided_has_decision",
            ),
        ]

    def get_absolute_url(self):
        return reverse(
            "plans:operational_plan", kwargs={"hr": self.healthcare_region.slug, "pk": self.pk}
        )

    @property
    def period(self) -> str:
        return f"{self.start_year}–{self.end_year}"


@pghistory.track(*track())
class PlanSection(TimestampedModel):
    """A section of a verksamhetsplan; Södra's follow the agreement's paragraphs (§ 8.3)."""

    plan = models.ForeignKey(
        OperationalPlan,
        verbose_name=_("verksamhetsplan"),
        on_delete=models.CASCADE,
        related_name="sections",
    )
    position = models.PositiveIntegerField(_("ordning"), default=0)
    number = models.CharField(
        _("paragraf i avtalet"),
        max_length=20,
        blank=True,
        help_text=_(
            "Till exempel 8.3 för § 8.3. Lämnas tom om avsnittet inte följer samverkansavtalet."
        ),
    )
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


@pghistory.track(*track())
class PlanGoal(TimestampedModel):
    section = models.ForeignKey(
        PlanSection, verbose_name=_("avsnitt"), on_delete=models.CASCADE, related_name="goals"
    )
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
