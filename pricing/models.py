"""Price lists of a sjukvårdsregion: the yearly list, each region's submissions and the lines.

A list moves insamling öppen → stängd → sammanställd → beslutad → publicerad. While
collection is open each region's price contacts upload their lines; a confirmed
submission replaces the region's earlier lines. Writes go through `pricing.services`,
reads and access checks through `pricing.selectors`.
"""

import datetime
import secrets
from decimal import Decimal

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regions.models import Decision, HealthcareRegion, Region, TimestampedModel


class Category(models.TextChoices):
    DRG_POINT = "drg", _("DRG-poäng")
    BED_DAY = "vardygn", _("Vårddygn")
    DOCTOR_VISIT = "lakarbesok", _("Läkarbesök")
    TREATMENT = "behandling", _("Sjukvårdande behandling")
    PROCEDURE = "atgard", _("Åtgärd (KVÅ)")
    ANALYSIS = "analys", _("Analys")
    SUPPLEMENT = "tillagg", _("Tillägg")


class Unit(models.TextChoices):
    POINT = "poang", _("poäng")
    DAY = "dygn", _("dygn")
    VISIT = "besok", _("besök")
    TREATMENT = "behandling", _("behandling")
    PROCEDURE = "atgard", _("åtgärd")
    ANALYSIS = "analys", _("analys")
    PIECE = "styck", _("styck")
    HOUR = "timme", _("timme")


PRICE_CEILING = Decimal("10000000")  # 10 Mkr: above any real line; catches a slipped decimal


# A line's list and region are checked once per statement, not once per row. A
# foreign-key constraint checks each inserted row on its own (a query and a row lock
# each): for a submission of 100 000 lines, 200 000 checks, a large share of the time
# of writing it (bench/price_import.py). These triggers do the same work set-wise:
# - after each INSERT and each UPDATE of a line, a statement trigger looks at the
#   distinct lists and regions of the rows it wrote (a transition table), locks them
#   FOR KEY SHARE, as a foreign key's check does, so that neither can be deleted before
#   the transaction ends, and raises foreign_key_violation (23503, IntegrityError in
#   Django) if one is missing;
# - before a price list or a region is deleted, a row trigger refuses while lines still
#   point at it (Django's collector has deleted a list's lines by then: CASCADE; a
#   region with lines is PROTECTed there too). It runs once the row is locked, so a
#   writer holding the lock commits first and its lines are seen.
_ITEM_TABLE = "pricing_priceitem"
_CHECK_PARENT = """
    SELECT w.id INTO missing
      FROM (SELECT DISTINCT {column} AS id FROM new_rows) w
     WHERE NOT EXISTS (SELECT 1 FROM {table} p WHERE p.id = w.id FOR KEY SHARE)
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'insert or update on table "{item}" violates foreign key'
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = format('Key ({column})=(%s) is not present in table "{table}".', missing);
    END IF;"""


def _lines_check_their_parents(name: str, operation) -> pgtrigger.Trigger:
    parents = (("price_list_id", PriceList._meta.db_table), ("region_id", Region._meta.db_table))
    return pgtrigger.Trigger(
        name=name,
        level=pgtrigger.Statement,
        when=pgtrigger.After,
        operation=operation,
        referencing=pgtrigger.Referencing(new="new_rows"),
        declare=[("missing", "bigint")],
        func="".join(
            _CHECK_PARENT.format(column=column, table=table, item=_ITEM_TABLE)
            for column, table in parents
        )
        + "\n    RETURN NULL;",
    )


def _refuse_delete_while_lines_point_here(column: str) -> pgtrigger.Trigger:
    return pgtrigger.Trigger(
        name="refuse_delete_with_price_lines",
        level=pgtrigger.Row,
        when=pgtrigger.Before,
        operation=pgtrigger.Delete,
        func=f"""
    PERFORM 1 FROM {_ITEM_TABLE} WHERE {column} = OLD.id LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'update or delete on table "%" violates foreign key on table "{_ITEM_TABLE}"', TG_TABLE_NAME
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = format('Key (id)=(%s) is still referenced from table "{_ITEM_TABLE}".', OLD.id);
    END IF;
    RETURN OLD;""",
    )


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class PriceList(TimestampedModel):
    class State(models.TextChoices):
        COLLECTING = "insamling", _("Insamling öppen")
        CLOSED = "stangd", _("Stängd")
        COMPILED = "sammanstalld", _("Sammanställd")
        DECIDED = "beslutad", _("Beslutad")
        PUBLISHED = "publicerad", _("Publicerad")

    PUBLIC_STATES = (State.DECIDED, State.PUBLISHED)

    healthcare_region = models.ForeignKey(
        HealthcareRegion,
        verbose_name=_("sjukvårdsregion"),
        on_delete=models.PROTECT,
        related_name="price_lists",
    )
    year = models.PositiveSmallIntegerField(_("år"))
    state = models.CharField(
        _("status"), max_length=20, choices=State.choices, default=State.COLLECTING
    )
    deadline = models.DateField(_("sista dag för inlämning"), null=True, blank=True)
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("beslut"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="price_lists",
    )
    uprated_from = models.ForeignKey(
        "self",
        verbose_name=_("uppräknad från"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="uprated_to",
    )
    uprating_percent = models.DecimalField(
        _("uppräkning (%)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    note = models.TextField(_("anmärkning"), blank=True)
    is_demo = models.BooleanField(_("demosiffror"), default=False)

    class Meta:
        verbose_name = _("prislista")
        verbose_name_plural = _("prislistor")
        ordering = ["healthcare_region", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["healthcare_region", "year"], name="pricelist_one_per_year"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="pricelist_year_plausible"
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["beslutad", "publicerad"]) | Q(decision__isnull=False),
                name="pricelist_decided_has_decision",
            ),
        ]
        triggers = [_refuse_delete_while_lines_point_here("price_list_id")]

    def __str__(self):
        return _("Prislista %(year)s") % {"year": self.year}

    @property
    def is_public(self) -> bool:
        return self.state in self.PUBLIC_STATES

    @property
    def is_collecting(self) -> bool:
        return self.state == self.State.COLLECTING

    def get_absolute_url(self):
        return reverse(
            "pricing:price_list", kwargs={"hr": self.healthcare_region.slug, "year": self.year}
        )


def submission_upload_to(instance, filename):
    return (
        f"pricing/{instance.price_list.healthcare_region_id}/{instance.price_list.year}/"
        f"{instance.region.scb_code}/{instance.sha256[:16]}-{filename}"
    )


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class PriceSubmission(models.Model):
    """One upload (or API call, or uprating) of a region's lines to one price list.

    Every confirmed submission is kept. A pending one has been checked and is waiting for
    the price contact to confirm the preview; confirming makes it the region's current
    one, and one never confirmed is deleted with its file after PENDING_SUBMISSION_HOURS
    (pricing.services.pending_submissions_remove).
    """

    class Source(models.TextChoices):
        UPLOAD = "fil", _("Uppladdad fil")
        API = "api", _("API")
        UPRATING = "uppraknad", _("Uppräkning")

    class Status(models.TextChoices):
        PENDING = "forhandsgranskas", _("Förhandsgranskas")
        CURRENT = "gallande", _("Gällande")
        REPLACED = "ersatt", _("Ersatt")

    price_list = models.ForeignKey(
        PriceList, verbose_name=_("prislista"), on_delete=models.CASCADE, related_name="submissions"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="price_submissions"
    )
    source = models.CharField(
        _("källa"), max_length=20, choices=Source.choices, default=Source.UPLOAD
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inlämnad av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Through which key an API submission came: the key is what the region's system used,
    # whoever made it (submitted_by is the key's maker).
    api_token = models.ForeignKey(
        "ApiToken",
        verbose_name=_("API-nyckel"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submissions",
    )
    created_at = models.DateTimeField(_("uppladdad"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("bekräftad"), null=True, blank=True)
    file = models.FileField(_("fil"), upload_to=submission_upload_to, blank=True, max_length=300)
    filename = models.CharField(_("filnamn"), max_length=255, blank=True)
    sha256 = models.CharField(_("kontrollsumma (SHA-256)"), max_length=64, blank=True)
    line_count = models.PositiveIntegerField(_("antal rader"), default=0)

    class Meta:
        verbose_name = _("inlämning")
        verbose_name_plural = _("inlämningar")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["price_list", "region"],
                condition=Q(status="gallande"),
                name="pricesubmission_one_current_per_region",
            ),
        ]

    def __str__(self):
        return _("Inlämning %(region)s %(when)s") % {
            "region": self.region,
            "when": f"{self.created_at:%Y-%m-%d %H:%M}",
        }


# pricing.lines.replace_lines writes a whole submission's history in the same
# statements as its lines, and turns this setting on (for the transaction) while it does;
# the row triggers then stand aside. A WHEN condition rather than pgtrigger.ignore, which
# still calls the trigger function, and queues an event for it, for every row.
HISTORY_BY_STATEMENT = "pricing.history_by_statement"
_ROW_HISTORY = f"current_setting('{HISTORY_BY_STATEMENT}', true) IS DISTINCT FROM 'on'"


@pghistory.track(
    pghistory.InsertEvent(condition=pgtrigger.Condition(_ROW_HISTORY)),
    pghistory.UpdateEvent(
        condition=pgtrigger.Condition(f"OLD.* IS DISTINCT FROM NEW.* AND {_ROW_HISTORY}")
    ),
    pghistory.DeleteEvent(condition=pgtrigger.Condition(_ROW_HISTORY)),
    # The history is read by list (Historik) and by line (pgh_obj), never by region or
    # by context: those two indexes, pghistory's default, would only cost every confirmed
    # line two more index entries (bench/price_import.py measures the confirmation).
    context_field=pghistory.ContextForeignKey(db_index=False),
    attrs={
        "region": models.ForeignKey(
            Region,
            verbose_name=_("region"),
            on_delete=models.DO_NOTHING,
            db_index=False,
            db_constraint=False,
            related_name="+",
            related_query_name="+",
        )
    },
)
class PriceItem(models.Model):
    """One line of the list: what a region's hospital charges for one thing, in SEK."""

    # No index of their own: priceitem_unique_line starts with the list and region and
    # serves their look-ups, and every index costs each of a submission's 100 000
    # inserted lines. Nor a foreign-key constraint each: PostgreSQL checks one per row.
    # Meta.triggers check both once per statement instead, with the same locks and the
    # same error (SQLSTATE 23503).
    price_list = models.ForeignKey(
        PriceList,
        verbose_name=_("prislista"),
        on_delete=models.CASCADE,
        related_name="items",
        db_index=False,
        db_constraint=False,
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="price_items",
        db_index=False,
        db_constraint=False,
    )
    hospital = models.CharField(_("sjukhus"), max_length=200)
    clinic = models.CharField(_("klinik eller verksamhet"), max_length=200, blank=True)
    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices)
    code = models.CharField(_("kod"), max_length=40)
    description = models.CharField(_("benämning"), max_length=300)
    unit = models.CharField(_("enhet"), max_length=20, choices=Unit.choices)
    price = models.DecimalField(_("pris (kr)"), max_digits=12, decimal_places=2)
    note = models.CharField(_("anmärkning"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("prisrad")
        verbose_name_plural = _("prisrader")
        ordering = ["region__scb_code", "hospital", "category", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["price_list", "region", "hospital", "code", "unit"],
                name="priceitem_unique_line",
            ),
            models.CheckConstraint(
                condition=Q(price__gte=0) & Q(price__lt=PRICE_CEILING),
                name="priceitem_price_in_range",
            ),
        ]
        # The comparison looks a code up whatever its case (code__iexact: UPPER(code)),
        # which an index on code itself cannot serve.
        indexes = [models.Index(Upper("code"), name="priceitem_code_upper")]
        triggers = [
            _lines_check_their_parents("parents_on_insert", pgtrigger.Insert),
            _lines_check_their_parents("parents_on_update", pgtrigger.Update),
        ]

    def __str__(self):
        return f"{self.hospital} {self.code} {self.description}"


class ApiToken(models.Model):
    """A token a region's own system uses to submit price lines through the API.

    Only a hash is stored; the token is shown once when it is made. It works until it
    expires (at most a year after it was made) or is revoked, and only while someone in
    its region holds the price-contact role (`services.api_token_authenticate`).
    """

    DEFAULT_VALID_DAYS = 90
    MAX_VALID_DAYS = 365

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="price_api_tokens"
    )
    name = models.CharField(_("namn"), max_length=100)
    key_prefix = models.CharField(_("början av nyckeln"), max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    expires_at = models.DateTimeField(_("giltig till"))
    last_used_at = models.DateTimeField(_("senast använd"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("återkallad"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-nyckel")
        verbose_name_plural = _("API-nycklar")
        constraints = [
            # A day's slack over MAX_VALID_DAYS: created_at is set a moment after expires_at.
            models.CheckConstraint(
                condition=Q(expires_at__lte=F("created_at") + datetime.timedelta(days=366)),
                name="apitoken_expires_within_a_year",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.key_prefix}…)"

    def is_expired(self, now=None) -> bool:
        return self.expires_at <= (now or timezone.now())

    @staticmethod
    def new_key() -> str:
        return "spk_" + secrets.token_urlsafe(32)


class RegionOfPriceLines(Region):
    """Region, as the owner of price lines: the trigger that keeps a region with lines
    from being deleted belongs to pricing, and a proxy model carries it (pgtrigger puts
    its migration in this app, so regions knows nothing of price lines)."""

    class Meta:
        proxy = True
        default_permissions = ()
        triggers = [_refuse_delete_while_lines_point_here("region_id")]
