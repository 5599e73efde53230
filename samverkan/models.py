"""Generated documents: a PDF (or other file) made from a plan, återrapport or prislista.

One row per job. The row holds the job's state, so the page can show it and poll it,
and once the job is done the file's place in storage and its sha256. Rows of finished
jobs are never changed: a document that was published stays byte for byte what it
was, and a new render is a new row (pointing at the same file when the bytes are the
same, see `samverkan.documents`).
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
    state = models.CharField(_("status"), max_length=12, choices=DocumentState.choices,
                             default=DocumentState.QUEUED)
    reason = models.TextField(_("orsak"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    is_snapshot = models.BooleanField(
        _("beslutad version"), default=False,
        help_text=_("Gjord när handlingen beslutades; den publicerade versionen."))
    filename = models.CharField(_("filnamn"), max_length=200, blank=True)
    file = models.FileField(_("fil"), max_length=300, blank=True)
    size = models.PositiveIntegerField(_("storlek i byte"), null=True, blank=True)
    sha256 = models.CharField(_("kontrollsumma (SHA-256)"), max_length=64, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("beställd av"),
                                     on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    created_at = models.DateTimeField(_("beställd"), auto_now_add=True)
    started_at = models.DateTimeField(_("påbörjad"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)

    class Meta:
        verbose_name = _("genererat dokument")
        verbose_name_plural = _("genererade dokument")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "kind", "-created_at"],
                                name="gendoc_subject_kind")]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=DocumentState.values),
                                   name="gendoc_state_valid"),
            models.CheckConstraint(
                condition=~Q(state="klar") | (~Q(file="") & Q(sha256__regex=r"^[0-9a-f]{64}$")),
                name="gendoc_done_has_file"),
            models.CheckConstraint(condition=~Q(state="misslyckad") | ~Q(reason=""),
                                   name="gendoc_failed_has_reason"),
        ]

    def __str__(self):
        return f"{self.kind} {self.subject_type_id}:{self.subject_id} ({self.get_state_display()})"

    @property
    def is_pending(self) -> bool:
        return self.state in (DocumentState.QUEUED, DocumentState.RUNNING)
