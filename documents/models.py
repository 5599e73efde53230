"""Generated documents: a PDF (or other file) made from a plan, återrapport or prislista.

One row per job. The row holds the job's state, so the page can show it and poll it,
and once the job is done the file's place in storage and its sha256. Rows of finished
jobs are never changed: a document that was published stays byte for byte what it
was, and a new render is a new row (pointing at the same file when the bytes are the
same, see `documents.outcomes`). The tables keep the names they had in the
`samverkan` app, so a snapshot stored before the move still points at its row.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DocumentState(models.TextChoices):
    QUEUED = "koad", _("Köad")
    RUNNING = "pagar", _("Pågår")
    DONE = "klar", _("Klar")
    FAILED = "misslyckad", _("Misslyckad")


class GeneratedDocument(models.Model):
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    kind = models.CharField(_("slag"), max_length=60)
    state = models.CharField(
        _("status"), max_length=12, choices=DocumentState.choices, default=DocumentState.QUEUED
    )
    reason = models.TextField(_("orsak"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    is_snapshot = models.BooleanField(
        _("beslutad version"),
        default=False,
        help_text=_("Gjord när handlingen beslutades; den publicerade versionen."),
    )
    filename = models.CharField(_("filnamn"), max_length=200, blank=True)
    file = models.FileField(_("fil"), max_length=300, blank=True)
    size = models.PositiveIntegerField(_("storlek i byte"), null=True, blank=True)
    sha256 = models.CharField(_("kontrollsumma (SHA-256)"), max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beställd av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("beställd"), auto_now_add=True)
    started_at = models.DateTimeField(_("påbörjad"), null=True, blank=True)
    # Refreshed by the rendering worker while it works (documents.jobs): a job pågår
    # without a recent heartbeat has lost its worker. `worker` is "host:pid" of the
    # process that claimed it, so a redelivered message can tell that process is gone.
    heartbeat_at = models.DateTimeField(_("senaste livstecken"), null=True, blank=True)
    worker = models.CharField(_("arbetare"), max_length=200, blank=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    # A document rendered in parts: the sha256 of each part's HTML in order, and how
    # many of them are rendered (the progress the page shows).
    parts = models.JSONField(_("avsnitt"), default=list, blank=True)
    parts_done = models.PositiveIntegerField(_("klara avsnitt"), default=0)

    class Meta:
        db_table = "samverkan_generateddocument"
        verbose_name = _("genererat dokument")
        verbose_name_plural = _("genererade dokument")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["subject_type", "subject_id", "kind", "-created_at"],
                name="gendoc_subject_kind",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=DocumentState.values), name="gendoc_state_valid"
            ),
            models.CheckConstraint(
                condition=~Q(state="klar") | (~Q(file="") & Q(sha256__regex=r"^[0-9a-f]{64}$")),
                name="gendoc_done_has_file",
            ),
            models.CheckConstraint(
                condition=~Q(state="misslyckad") | ~Q(reason=""), name="gendoc_failed_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.subject_type_id}:{self.subject_id} ({self.get_state_display()})"

    @property
    def is_pending(self) -> bool:
        return self.state in (DocumentState.QUEUED, DocumentState.RUNNING)


class DocumentPart(models.Model):
    """One separately rendered section of a long document (a hospital's prices, say).

    A document made of parts is rendered section by section on as many workers as
    are free, and the sections are put together at the end (documents.parts).
    A part is known by the sha256 of its HTML: a section whose HTML has not changed
    since an earlier render is not rendered again. Its page numbers are stamped on
    when the document is put together, so a part does not depend on where it lands.
    """

    sha256 = models.CharField(_("kontrollsumma för HTML (SHA-256)"), max_length=64, unique=True)
    label = models.CharField(_("avsnitt"), max_length=300, blank=True)
    html = models.TextField(_("HTML"), blank=True, help_text=_("Tömd när avsnittet är skapat."))
    file = models.FileField(_("fil"), max_length=300, blank=True)
    pages = models.PositiveIntegerField(_("sidor"), null=True, blank=True)
    outline = models.JSONField(
        _("bokmärken"),
        default=list,
        blank=True,
        help_text=_("[nivå, rubrik, sida i avsnittet, läge] per rubrik"),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("klar"), null=True, blank=True)

    class Meta:
        db_table = "samverkan_documentpart"
        verbose_name = _("dokumentavsnitt")
        verbose_name_plural = _("dokumentavsnitt")
        constraints = [
            models.CheckConstraint(
                condition=Q(rendered_at__isnull=True) | (~Q(file="") & Q(pages__gte=1)),
                name="docpart_rendered_has_file",
            ),
        ]

    def __str__(self):
        return self.label or self.sha256[:12]

    @property
    def is_rendered(self) -> bool:
        return self.rendered_at is not None
