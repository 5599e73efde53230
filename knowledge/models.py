"""Kunskapsstyrning: the national programme areas and groups, a sjukvårdsregion's own
groups and councils with their members, and the promises and measurable goals.

Models hold single-row rules and database constraints; writes go through
`knowledge.services`, reads that span relations and every access check through
`knowledge.selectors`.
"""

import datetime

import pghistory
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from knowledge.richtext import sanitize_html
from regions.models import DateRange, HealthcareRegion, Person, Region, TimestampedModel


def track():
    """Record every insert, update and delete (fresh trackers: pghistory binds them to a model)."""
    return pghistory.track(
        pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent()
    )


def _ends_after_start(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
        name=f"{prefix}_ends_after_start",
    )


def _term_range():
    # Both ends inclusive: a term that ends 2024-12-31 and one that starts that day overlap.
    return DateRange("starts_on", "ends_on", models.Value("[]"))


class Term(TimestampedModel):
    """A period from `starts_on` to `ends_on` (inclusive; open when empty)."""

    starts_on = models.DateField(_("från"))
    ends_on = models.DateField(_("till och med"), null=True, blank=True)

    class Meta:
        abstract = True

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)


# National structure ----------------------------------------------------------------


@track()
class NationalProgramArea(TimestampedModel):
    """Nationellt programområde (NPO), one of the 26 of the regions' joint system."""

    slug = models.SlugField(_("kortnamn i adresser"), unique=True)
    name = models.CharField(_("namn"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("nationellt programområde")
        verbose_name_plural = _("nationella programområden")
        ordering = ["name"]

    def __str__(self):
        return self.name


@track()
class NationalGroup(TimestampedModel):
    """A national group other than a programme area, e.g. NSG Data och analys."""

    class Kind(models.TextChoices):
        NSG = "nsg", _("Nationell samverkansgrupp (NSG)")
        NAG = "nag", _("Nationell arbetsgrupp (NAG)")

    slug = models.SlugField(_("kortnamn i adresser"), unique=True)
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices, default=Kind.NSG)
    name = models.CharField(_("namn"), max_length=200)

    class Meta:
        verbose_name = _("nationell grupp")
        verbose_name_plural = _("nationella grupper")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "name"], name="nationalgroup_unique_name_per_kind"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display().split(' (')[-1].rstrip(')')} {self.name}"


@track()
class Hosting(Term):
    """Värdskap: the sjukvårdsregion that hosts a national programme area for a period."""

    program_area = models.ForeignKey(
        NationalProgramArea,
        verbose_name=_("nationellt programområde"),
        on_delete=models.CASCADE,
        related_name="hostings",
    )
    healthcare_region = models.ForeignKey(
        HealthcareRegion,
        verbose_name=_("värdsjukvårdsregion"),
        on_delete=models.PROTECT,
        related_name="npo_hostings",
    )
    note = models.CharField(_("anmärkning"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("värdskap")
        verbose_name_plural = _("värdskap")
        ordering = ["program_area__name", "-starts_on"]
        constraints = [
            _ends_after_start("hosting"),
            # An NPO has one host at a time.
            ExclusionConstraint(
                name="hosting_one_host_at_a_time",
                expressions=[
                    (F("program_area"), RangeOperators.EQUAL),
                    (_term_range(), RangeOperators.OVERLAPS),
                ],
            ),
        ]

    def __str__(self):
        return f"{self.program_area} – {self.healthcare_region}"


# A sjukvårdsregion's own structure ---------------------------------------------------


class GroupKind(models.TextChoices):
    PROGRAM_AREA = "rpo", _("Regionalt programområde")
    COLLABORATION = "rsg", _("Regional samverkansgrupp")
    WORKING_GROUP = "rag", _("Regional arbetsgrupp")
    CANCER_CENTRE = "rcc", _("Regionalt cancercentrum")


DEFAULT_ABBREVIATIONS = {
    GroupKind.PROGRAM_AREA: "RPO",
    GroupKind.COLLABORATION: "RSG",
    GroupKind.WORKING_GROUP: "RAG",
    GroupKind.CANCER_CENTRE: "RCC",
}


@track()
class GroupKindName(TimestampedModel):
    """What a sjukvårdsregion calls a kind of group: Sydöstra says RMPO where others say RPO."""

    healthcare_region = models.ForeignKey(
        HealthcareRegion,
        verbose_name=_("sjukvårdsregion"),
        on_delete=models.CASCADE,
        related_name="group_kind_names",
    )
    kind = models.CharField(_("typ"), max_length=10, choices=GroupKind.choices)
    abbreviation = models.CharField(_("förkortning"), max_length=10)
    name = models.CharField(_("benämning"), max_length=120)

    class Meta:
        verbose_name = _("benämning av grupptyp")
        verbose_name_plural = _("benämningar av grupptyper")
        constraints = [
            models.UniqueConstraint(
                fields=["healthcare_region", "kind"],
                name="groupkindname_unique_per_healthcare_region",
            ),
        ]

    def __str__(self):
        return f"{self.abbreviation} ({self.healthcare_region})"


class CouncilRole(models.TextChoices):
    CHAIR = "ordforande", _("Ordförande")
    SECRETARY = "sekreterare", _("Sekreterare")
    MEMBER = "ledamot", _("Ledamot")


@track()
class KnowledgeCouncil(TimestampedModel):
    """Kunskapsråd: follows up and supports a set of programme areas (Sydöstra has four)."""

    healthcare_region = models.ForeignKey(
        HealthcareRegion,
        verbose_name=_("sjukvårdsregion"),
        on_delete=models.PROTECT,
        related_name="knowledge_councils",
    )
    name = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("kommentar"), blank=True)
    rotates_leadership = models.BooleanField(
        _("ordförande och sekreterare roterar"),
        default=True,
        help_text=_("Ordförandeskap och sekreterare roterar mellan regionerna."),
    )
    rotation_years = models.PositiveSmallIntegerField(_("rotationsperiod (år)"), default=2)
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("kunskapsråd")
        verbose_name_plural = _("kunskapsråd")
        ordering = ["healthcare_region", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["healthcare_region", "name"],
                name="knowledgecouncil_unique_name_per_healthcare_region",
            ),
            models.CheckConstraint(
                condition=Q(rotation_years__gte=1), name="knowledgecouncil_rotation_years_positive"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse(
            "knowledge:council", kwargs={"hr": self.healthcare_region.slug, "pk": self.pk}
        )


@track()
class KnowledgeCouncilMembership(Term):
    council = models.ForeignKey(
        KnowledgeCouncil,
        verbose_name=_("kunskapsråd"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="council_memberships",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("representerar"),
        on_delete=models.PROTECT,
        related_name="council_memberships",
    )
    role = models.CharField(_("roll"), max_length=20, choices=CouncilRole.choices)

    class Meta:
        verbose_name = _("uppdrag i kunskapsråd")
        verbose_name_plural = _("uppdrag i kunskapsråd")
        ordering = ["region__scb_code", "role", "person__last_name"]
        constraints = [
            _ends_after_start("councilmembership"),
            ExclusionConstraint(
                name="councilmembership_no_overlapping_terms_per_person",
                expressions=[
                    (F("council"), RangeOperators.EQUAL),
                    (F("person"), RangeOperators.EQUAL),
                    (_term_range(), RangeOperators.OVERLAPS),
                ],
            ),
            ExclusionConstraint(
                name="councilmembership_one_chair_at_a_time",
                expressions=[
                    (F("council"), RangeOperators.EQUAL),
                    (_term_range(), RangeOperators.OVERLAPS),
                ],
                condition=Q(role="ordforande"),
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.get_role_display()}, {self.council}"


@track()
class RegionalGroup(TimestampedModel):
    """A sjukvårdsregion's RPO/RMPO, RSG, RAG or RCC."""

    class State(models.TextChoices):
        PLANNED = "planned", _("Ska bildas")
        ACTIVE = "active", _("Aktiv")
        CLOSED = "closed", _("Avslutad")

    healthcare_region = models.ForeignKey(
        HealthcareRegion,
        verbose_name=_("sjukvårdsregion"),
        on_delete=models.PROTECT,
        related_name="regional_groups",
    )
    kind = models.CharField(_("typ"), max_length=10, choices=GroupKind.choices)
    name = models.CharField(
        _("namn"), max_length=200, help_text=_("Området eller ämnet, t.ex. ”Cancersjukdomar”.")
    )
    national_program_area = models.ForeignKey(
        NationalProgramArea,
        verbose_name=_("nationellt programområde"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="regional_groups",
    )
    national_group = models.ForeignKey(
        NationalGroup,
        verbose_name=_("nationell samverkansgrupp"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="regional_groups",
    )
    council = models.ForeignKey(
        KnowledgeCouncil,
        verbose_name=_("kunskapsråd"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="groups",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("ingår i"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("T.ex. en arbetsgrupp under ett programområde."),
    )
    state = models.CharField(
        _("status"), max_length=10, choices=State.choices, default=State.ACTIVE
    )
    formed_on = models.DateField(_("bildad"), null=True, blank=True)
    closed_on = models.DateField(_("avslutad"), null=True, blank=True)
    mandate = models.TextField(
        _("uppdrag"),
        blank=True,
        help_text=_(
            "Tillåten formatering: stycken (p), punktlistor (ul, ol, li), länkar (a href), "
            "fetstil (strong), kursiv (em) och radbrytning (br)."
        ),
    )
    note = models.CharField(_("anmärkning"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("regional grupp")
        verbose_name_plural = _("regionala grupper")
        ordering = ["healthcare_region", "kind", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["healthcare_region", "kind", "name"],
                name="regionalgroup_unique_name_per_kind",
            ),
            models.CheckConstraint(
                condition=Q(national_program_area__isnull=True) | Q(national_group__isnull=True),
                name="regionalgroup_one_national_counterpart",
            ),
            models.CheckConstraint(
                condition=~Q(state="closed") | Q(closed_on__isnull=False),
                name="regionalgroup_closed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(formed_on__isnull=True)
                | Q(closed_on__gte=F("formed_on")),
                name="regionalgroup_closes_after_forming",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("knowledge:group", kwargs={"hr": self.healthcare_region.slug, "pk": self.pk})

    @property
    def national_counterpart(self):
        return self.national_program_area or self.national_group

    @property
    def mandate_html(self) -> str:
        # Sanitised again on the way out: rows can also come from the admin or fixtures.
        return sanitize_html(self.mandate)


class GroupRole(models.TextChoices):
    CHAIR = "ordforande", _("Ordförande")
    PROCESS_LEAD = "processledare", _("Processledare")
    MEMBER = "ledamot", _("Ledamot")
    SECRETARY = "sekreterare", _("Sekreterare")


LEAD_ROLES = (GroupRole.CHAIR, GroupRole.PROCESS_LEAD)


@track()
class RegionalGroupMembership(Term):
    group = models.ForeignKey(
        RegionalGroup, verbose_name=_("grupp"), on_delete=models.CASCADE, related_name="memberships"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="group_memberships"
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("representerar"),
        on_delete=models.PROTECT,
        related_name="group_memberships",
    )
    role = models.CharField(_("roll"), max_length=20, choices=GroupRole.choices)

    class Meta:
        verbose_name = _("uppdrag i grupp")
        verbose_name_plural = _("uppdrag i grupper")
        ordering = ["region__scb_code", "role", "person__last_name"]
        constraints = [
            _ends_after_start("groupmembership"),
            ExclusionConstraint(
                name="groupmembership_no_overlapping_terms_per_person",
                expressions=[
                    (F("group"), RangeOperators.EQUAL),
                    (F("person"), RangeOperators.EQUAL),
                    (_term_range(), RangeOperators.OVERLAPS),
                ],
            ),
            ExclusionConstraint(
                name="groupmembership_one_chair_at_a_time",
                expressions=[
                    (F("group"), RangeOperators.EQUAL),
                    (_term_range(), RangeOperators.OVERLAPS),
                ],
                condition=Q(role="ordforande"),
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.get_role_display()}, {self.group}"


# Promises, goals and indicators -------------------------------------------------------


@track()
class PatientPromise(TimestampedModel):
    """Löfte: what a patient in the sjukvårdsregion is promised."""

    healthcare_region = models.ForeignKey(
        HealthcareRegion,
        verbose_name=_("sjukvårdsregion"),
        on_delete=models.PROTECT,
        related_name="patient_promises",
    )
    position = models.PositiveSmallIntegerField(_("ordning"))
    text = models.CharField(_("löfte"), max_length=300)

    class Meta:
        verbose_name = _("löfte")
        verbose_name_plural = _("löften")
        ordering = ["healthcare_region", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["healthcare_region", "position"], name="patientpromise_unique_position"
            ),
        ]

    def __str__(self):
        return self.text


@track()
class Goal(TimestampedModel):
    """A measurable goal of a programme area, concretising a promise."""

    healthcare_region = models.ForeignKey(
        HealthcareRegion,
        verbose_name=_("sjukvårdsregion"),
        on_delete=models.PROTECT,
        related_name="goals",
    )
    program_area = models.ForeignKey(
        RegionalGroup,
        verbose_name=_("programområde"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="goals",
    )
    promise = models.ForeignKey(
        PatientPromise,
        verbose_name=_("löfte"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="goals",
    )
    title = models.CharField(_("mål"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    is_published = models.BooleanField(
        _("publicerat"),
        default=True,
        help_text=_("Ett opublicerat mål syns bara för sjukvårdsregionens kansli och nämnd."),
    )
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("mål")
        verbose_name_plural = _("mål")
        ordering = ["healthcare_region", "program_area__name", "position", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("knowledge:goal", kwargs={"hr": self.healthcare_region.slug, "pk": self.pk})


@track()
class Indicator(TimestampedModel):
    goal = models.ForeignKey(
        Goal, verbose_name=_("mål"), on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("indikator"), max_length=200)
    unit = models.CharField(_("enhet"), max_length=40, help_text=_("T.ex. ”%” eller ”dagar”."))
    higher_is_better = models.BooleanField(_("högre värde är bättre"), default=True)
    target = models.DecimalField(
        _("målvärde"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("källa"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")
        ordering = ["goal", "name"]

    def __str__(self):
        return self.name

    def meets_target(self, value) -> bool | None:
        if self.target is None or value is None:
            return None
        return value >= self.target if self.higher_is_better else value <= self.target


@track()
class IndicatorValue(TimestampedModel):
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indikator"), on_delete=models.CASCADE, related_name="values"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="indicator_values"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    value = models.DecimalField(_("värde"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("indikatorvärde")
        verbose_name_plural = _("indikatorvärden")
        ordering = ["indicator", "region__scb_code", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "region", "year"],
                name="indicatorvalue_unique_per_region_and_year",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1990, year__lte=2100), name="indicatorvalue_year_plausible"
            ),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.region} {self.year}"
