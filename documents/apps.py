from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Dokument")

    def ready(self):
        # The tasks stand beside the functions they run; a worker learns them here.
        from documents import jobs, parts  # noqa: F401
