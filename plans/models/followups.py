"""Återrapporter: what was done with each activity of an aktivitetsplan.

An återrapport belongs to one aktivitetsplan. Per activity it holds a status and a
report text (ActivityFollowUp), per fokusområde whether its writers have marked it
ready (FollowUpSection), and the nämnd's comments per activity (FollowUpComment).
Lifecycle: utkast → skickad till nämnden (members read and comment) → lagd till
handlingarna (decided at a meeting: frozen and public). Tracked by pghistory like the
plans.
"""

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from plans.models.common import track
from regions.models import Decision, HealthcareRegion, TimestampedModel


class ReportState(models.TextChoices):
    DRAFT = "utkast", _("Utkast")
    REVIEW = "granskning", _("Skickad till nämnden")
    DECIDED = "beslutad", _("Lagd till handlingarna")


class FollowUpStatus(models.TextChoices):
    DONE = "genomford", _("Genomförd")
    ONGOING = "pagar", _("Pågår")
    NOT_STARTED = "ej_paborjad", _("Ej påbörjad")
    DROPPED = "utgar", _("Utgår")


@pghistory.track(*track())
class FollowUpReport(TimestampedModel):
    healthcare_region = models.ForeignKey(
        HealthcareRegion,
        verbose_name=_("sjukvårdsregion"),
        on_delete=models.PROTECT,
        related_name="follow_up_reports",
    )
    activity_plan = models.ForeignKey(
        "plans.ActivityPlan",
        verbose_name=_("aktivitetsplan"),
        on_delete=models.PROTECT,
        related_name="follow_up_reports",
    )
    title = models.CharField(_("rubrik"), max_length=300)
    author_name = models.CharField(_("upprättare"), max_length=200, blank=True)
    author_unit = models.CharField(
        _("upprättarens enhet"),
        max_length=200,
        blank=True,
        help_text=_("Till exempel Samverkansnämndens kansli."),
    )
    report_date = models.DateField(_("datum"), null=True, blank=True)
    introduction = models.TextField(_("inledning"), blank=True)
    state = models.CharField(
        _("status"), max_length=12, choices=ReportState.choices, default=ReportState.DRAFT
    )
    sent_at = models.DateTimeField(_("skickad till nämnden"), null=True, blank=True)
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("beslut"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("återrapport")
        verbose_name_plural = _("återrapporter")
        ordering = ["-activity_plan__year", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["activity_plan"], name="followupreport_one_per_plan"),
            models.CheckConstraint(
                condition=Q(state__in=ReportState.values), name="followupreport_state_valid"
            ),
            models.CheckConstraint(
                condition=~Q(state="beslutad") | Q(decision__isnull=False),
                name="followupreport_decided_has_decision",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plans:followup", kwargs={"hr": self.healthcare_region.slug, "pk": self.pk})

    @property
    def is_public(self) -> bool:
        return self.state == ReportState.DECIDED

    @property
    def is_editable(self) -> bool:
        return self.state != ReportState.DECIDED


@pghistory.track(*track())
class FollowUpSection(TimestampedModel):
    """A fokusområde of the återrapport, and whether its writers have marked it ready."""

    report = models.ForeignKey(
        FollowUpReport,
        verbose_name=_("återrapport"),
        on_delete=models.CASCADE,
        related_name="sections",
    )
    focus_area = models.ForeignKey(
        "plans.FocusArea", verbose_name=_("fokusområde"), on_delete=models.PROTECT, related_name="+"
    )
    is_ready = models.BooleanField(_("klar"), default=False)
    ready_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("markerad klar av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    ready_at = models.DateTimeField(_("markerad klar"), null=True, blank=True)

    class Meta:
        verbose_name = _("avsnitt i återrapport")
        verbose_name_plural = _("avsnitt i återrapporter")
        constraints = [
            models.UniqueConstraint(fields=["report", "focus_area"], name="followupsection_unique")
        ]

    def __str__(self):
        return f"{self.report} – {self.focus_area}"


@pghistory.track(*track())
class ActivityFollowUp(TimestampedModel):
    report = models.ForeignKey(
        FollowUpReport,
        verbose_name=_("återrapport"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    activity = models.ForeignKey(
        "plans.Activity",
        verbose_name=_("aktivitet"),
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=FollowUpStatus.choices, blank=True
    )
    text = models.TextField(_("återrapport"), blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("senast skriven av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("uppföljning av aktivitet")
        verbose_name_plural = _("uppföljningar av aktiviteter")
        constraints = [
            models.UniqueConstraint(fields=["report", "activity"], name="activityfollowup_unique"),
            models.CheckConstraint(
                condition=Q(status="") | Q(status__in=FollowUpStatus.values),
                name="activityfollowup_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.report} – {self.activity}"

    @property
    def is_written(self) -> bool:
        return bool(self.status and self.text.strip())


@pghistory.track(*track())
class FollowUpComment(TimestampedModel):
    """A nämnd member's comment on one activity's follow-up; the kansli marks it handled."""

    follow_up = models.ForeignKey(
        ActivityFollowUp,
        verbose_name=_("uppföljning"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skriven av"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("kommentar"), max_length=5000)
    handled_at = models.DateTimeField(_("hanterad"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hanterad av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("kommentar till återrapport")
        verbose_name_plural = _("kommentarer till återrapporter")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.author}: {self.text[:60]}"
