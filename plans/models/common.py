"""What a verksamhetsplan and an aktivitetsplan share: their states and PlanDocument."""

import pghistory
from django.db import models
from django.utils.translation import gettext_lazy as _

from regions.models import Decision, HealthcareRegion, TimestampedModel


def track():
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
        HealthcareRegion,
        verbose_name=_("sjukvårdsregion"),
        on_delete=models.PROTECT,
        related_name="%(class)ss",
    )
    title = models.CharField(_("rubrik"), max_length=300)
    introduction = models.TextField(_("inledning"), blank=True)
    state = models.CharField(
        _("status"), max_length=12, choices=PlanState.choices, default=PlanState.DRAFT
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous_version = models.ForeignKey(
        "self",
        verbose_name=_("föregående version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_versions",
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("beslut"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
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
