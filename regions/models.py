"""Sjukvårdsregioner, regions, their governing bodies, people, meetings and decisions.

Models hold single-row rules and database constraints; writes go through
`regions.services`, reads that span relations and every access check through
`regions.selectors`.
"""

import datetime

import pghistory
import pgtrigger
from django.contrib.auth.models import AbstractUser, Group
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Func, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from regions.permissions import HEALTHCARE_REGION_PERMISSIONS, REGION_PERMISSIONS


class User(AbstractUser):
    is_demo = models.BooleanField(
        _("demokonto"),
        default=False,
        help_text=_("Demokonton kan bara logga in när portalen körs i demoläge."),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("användare")
        verbose_name_plural = _("användare")

    def __str__(self):
        return self.get_full_name() or self.username


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        abstract = True


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class HealthcareRegion(TimestampedModel):
    slug = models.SlugField(_("kortnamn i adresser"), unique=True)
    name = models.CharField(_("namn"), max_length=120, unique=True)
    short_name = models.CharField(_("kort namn"), max_length=60)
    description = models.TextField(_("beskrivning"), blank=True)

    class Meta:
        verbose_name = _("sjukvårdsregion")
        verbose_name_plural = _("sjukvårdsregioner")
        ordering = ["name"]
        permissions = HEALTHCARE_REGION_PERMISSIONS

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("regions:healthcare_region", kwargs={"hr": self.slug})


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Region(TimestampedModel):
    scb_code = models.CharField(
        _("länskod (SCB)"),
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^\d{2}$", _("Länskoden är två siffror, t.ex. 03."))],
    )
    name = models.CharField(_("namn"), max_length=120, unique=True)
    short_name = models.CharField(_("kort namn"), max_length=60)
    healthcare_region = models.ForeignKey(
        HealthcareRegion,
        verbose_name=_("sjukvårdsregion"),
        on_delete=models.PROTECT,
        related_name="regions",
    )
    cooperates_with = models.ForeignKey(
        HealthcareRegion,
        verbose_name=_("samverkar även med"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cooperating_regions",
    )
    cooperation_note = models.TextField(_("om samverkan"), blank=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regioner")
        ordering = ["scb_code"]
        permissions = REGION_PERMISSIONS
        constraints = [
            models.CheckConstraint(
                condition=Q(scb_code__regex=r"^\d{2}$"), name="region_scb_code_two_digits"
            ),
            models.CheckConstraint(
                condition=~Q(cooperates_with=F("healthcare_region")),
                name="region_cooperates_with_other_healthcare_region",
            ),
        ]

    def __str__(self):
        return self.name


# Object permissions through direct foreign keys: guardian's generic tables join on a
# text column and get slow at scale (DESIGN.md).
class HealthcareRegionUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(HealthcareRegion, on_delete=models.CASCADE)


class HealthcareRegionGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(HealthcareRegion, on_delete=models.CASCADE)


class RegionUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Region, on_delete=models.CASCADE)


class RegionGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Region, on_delete=models.CASCADE)


class RoleGroup(models.Model):
    """The auth group that carries one role in one sjukvårdsregion or one region."""

    class Role(models.TextChoices):
        KANSLI = "kansli", _("Kansli")
        BOARD_MEMBER = "namnd", _("Nämndledamot")
        GROUP_LEAD = "gruppledare", _("Gruppledare")
        PRICE_CONTACT = "priskontakt", _("Priskontakt")

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="role_group")
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices)
    healthcare_region = models.ForeignKey(
        HealthcareRegion,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_groups",
    )
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, null=True, blank=True, related_name="role_groups"
    )

    class Meta:
        verbose_name = _("rollgrupp")
        verbose_name_plural = _("rollgrupper")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(healthcare_region__isnull=False, region__isnull=True)
                    | Q(healthcare_region__isnull=True, region__isnull=False)
                ),
                name="rolegroup_exactly_one_scope",
            ),
            models.UniqueConstraint(
                fields=["role", "healthcare_region"], name="rolegroup_unique_per_healthcare_region"
            ),
            models.UniqueConstraint(fields=["role", "region"], name="rolegroup_unique_per_region"),
        ]

    def __str__(self):
        return f"{self.get_role_display()} – {self.healthcare_region or self.region}"

    @property
    def scope(self):
        return self.healthcare_region or self.region


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Body(TimestampedModel):
    class Kind(models.TextChoices):
        BOARD = "board", _("Samverkansnämnd / regionvårdsnämnd")
        WORKING_COMMITTEE = "working_committee", _("Arbetsutskott")
        MANAGEMENT = "management", _("Ledningsgrupp / regionsjukvårdsledning")
        SECRETARIAT = "secretariat", _("Kansli")
        DIRECTORS = "directors", _("Direktörsgrupp")
        WORKING_GROUP = "working_group", _("Arbetsgrupp")

    healthcare_region = models.ForeignKey(
        HealthcareRegion,
        verbose_name=_("sjukvårdsregion"),
        on_delete=models.PROTECT,
        related_name="bodies",
    )
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("namn"), max_length=200)
    short_name = models.CharField(_("förkortning"), max_length=20, blank=True)
    description = models.TextField(_("uppdrag"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("ingår i"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    rotates_leadership = models.BooleanField(
        _("ordförande och sekreterare roterar"),
        default=False,
        help_text=_("Ordförandeskap och sekreterare roterar mellan regionerna."),
    )
    rotation_years = models.PositiveSmallIntegerField(_("rotationsperiod (år)"), default=2)
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("organ")
        verbose_name_plural = _("organ")
        ordering = ["healthcare_region", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["healthcare_region", "name"], name="body_unique_name_per_healthcare_region"
            ),
            models.CheckConstraint(
                condition=Q(rotation_years__gte=1), name="body_rotation_years_positive"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("regions:body", kwargs={"hr": self.healthcare_region.slug, "pk": self.pk})


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Person(TimestampedModel):
    first_name = models.CharField(_("förnamn"), max_length=100)
    last_name = models.CharField(_("efternamn"), max_length=100)
    title = models.CharField(_("titel eller uppdrag"), max_length=200, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    user = models.OneToOneField(
        User,
        verbose_name=_("användarkonto"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"


class DateRange(Func):
    function = "daterange"
    output_field = models.Field()


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Membership(TimestampedModel):
    class Role(models.TextChoices):
        CHAIR = "ordforande", _("Ordförande")
        VICE_CHAIR = "vice_ordforande", _("Vice ordförande")
        MEMBER = "ledamot", _("Ledamot")
        DEPUTY = "ersattare", _("Ersättare")
        SECRETARY = "sekreterare", _("Sekreterare")
        CO_OPTED = "adjungerad", _("Adjungerad")

    body = models.ForeignKey(
        Body, verbose_name=_("organ"), on_delete=models.CASCADE, related_name="memberships"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships"
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("representerar"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices)
    starts_on = models.DateField(_("från"))
    ends_on = models.DateField(_("till och med"), null=True, blank=True)

    class Meta:
        verbose_name = _("uppdrag")
        verbose_name_plural = _("uppdrag")
        ordering = ["region__scb_code", "role", "person__last_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="membership_ends_after_start",
            ),
            # A person holds one role at a time in a body, and a body has one
            # ordförande at a time: the terms may not overlap.
            ExclusionConstraint(
                name="membership_no_overlapping_terms_per_person",
                expressions=[
                    (F("body"), RangeOperators.EQUAL),
                    (F("person"), RangeOperators.EQUAL),
                    (
                        DateRange("starts_on", "ends_on", models.Value("[]")),
                        RangeOperators.OVERLAPS,
                    ),
                ],
            ),
            ExclusionConstraint(
                name="membership_one_chair_at_a_time",
                expressions=[
                    (F("body"), RangeOperators.EQUAL),
                    (
                        DateRange("starts_on", "ends_on", models.Value("[]")),
                        RangeOperators.OVERLAPS,
                    ),
                ],
                condition=Q(role="ordforande"),
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.get_role_display()}, {self.body}"

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Meeting(TimestampedModel):
    body = models.ForeignKey(
        Body, verbose_name=_("organ"), on_delete=models.PROTECT, related_name="meetings"
    )
    date = models.DateField(_("datum"))
    start_time = models.TimeField(_("klockan"), null=True, blank=True)
    place = models.CharField(_("plats"), max_length=200, blank=True)
    title = models.CharField(_("rubrik"), max_length=200, blank=True)
    notes = models.TextField(_("anteckningar"), blank=True)
    is_published = models.BooleanField(
        _("protokollet är publicerat"),
        default=False,
        help_text=_(
            "Ett publicerat protokoll med sina beslut är en allmän handling och syns för alla."
        ),
    )

    class Meta:
        verbose_name = _("sammanträde")
        verbose_name_plural = _("sammanträden")
        ordering = ["-date", "-start_time"]

    def __str__(self):
        return self.title or f"{self.body.name} {self.date:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse(
            "regions:meeting",
            kwargs={"hr": self.body.healthcare_region.slug, "pk": self.pk},
        )


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class AgendaItem(TimestampedModel):
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("sammanträde"),
        on_delete=models.CASCADE,
        related_name="agenda_items",
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("ärende"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True)

    class Meta:
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"], name="agendaitem_unique_number_per_meeting"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="agendaitem_number_positive"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Decision(TimestampedModel):
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("sammanträde"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("ärende"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
    )
    paragraph = models.PositiveIntegerField(_("paragraf (§)"))
    title = models.CharField(_("rubrik"), max_length=300)
    text = models.TextField(_("beslut"))
    # What the decision decides: a plan, an återrapport or a prislista. Generic so
    # that `regions` depends on nothing; the apps that own those documents point here.
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")

    class Meta:
        verbose_name = _("beslut")
        verbose_name_plural = _("beslut")
        ordering = ["meeting__date", "paragraph"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "paragraph"], name="decision_unique_paragraph_per_meeting"
            ),
            models.CheckConstraint(
                condition=Q(subject_type__isnull=True, subject_id__isnull=True)
                | Q(subject_type__isnull=False, subject_id__isnull=False),
                name="decision_subject_complete",
            ),
        ]

    def __str__(self):
        return f"§ {self.paragraph} {self.title}"


class AuditEvent(models.Model):
    """A security-relevant act: who did what to whom, in which scope, and when.

    Written by the services that do the act, in the same transaction; never changed or
    removed afterwards (a database trigger refuses it), so the record can be trusted
    when a role or a key is questioned. The actor's and subject's names are kept as
    they were, should an account later be removed.
    """

    class Action(models.TextChoices):
        ROLE_GRANTED = "roll_tilldelad", _("Roll tilldelad")
        ROLE_REVOKED = "roll_aterkallad", _("Roll återkallad")
        API_KEY_CREATED = "api_nyckel_skapad", _("API-nyckel skapad")
        API_KEY_REVOKED = "api_nyckel_aterkallad", _("API-nyckel återkallad")

    at = models.DateTimeField(_("tidpunkt"), auto_now_add=True, db_index=True)
    action = models.CharField(_("händelse"), max_length=40, choices=Action.choices)
    actor = models.ForeignKey(
        User,
        verbose_name=_("utförd av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("utförd av (namn)"), max_length=300, blank=True)
    subject_user = models.ForeignKey(
        User,
        verbose_name=_("gäller användare"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    subject_label = models.CharField(_("gäller"), max_length=300, blank=True)
    healthcare_region = models.ForeignKey(
        HealthcareRegion,
        verbose_name=_("sjukvårdsregion"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    detail = models.JSONField(_("uppgifter"), default=dict, blank=True)

    class Meta:
        verbose_name = _("säkerhetshändelse")
        verbose_name_plural = _("säkerhetshändelser")
        ordering = ["-at", "-pk"]
        triggers = [
            pgtrigger.Protect(name="audit_never_deleted", operation=pgtrigger.Delete),
            # A removed account's links become empty (SET_NULL); nothing else changes.
            pgtrigger.Protect(
                name="audit_never_changed",
                operation=pgtrigger.Update,
                condition=pgtrigger.AnyChange(
                    "at",
                    "action",
                    "actor_label",
                    "subject_label",
                    "healthcare_region",
                    "region",
                    "detail",
                ),
            ),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}: {self.subject_label}"
