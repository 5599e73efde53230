from importlib import import_module

from django.apps import AppConfig
from django.conf import settings


class SamverkanConfig(AppConfig):
    name = "samverkan"
    verbose_name = "Samverkansportalen"

    def ready(self):
        # Apps register their document renderers from their own ready(); these are extra ones.
        for module in getattr(settings, "DOCUMENT_RENDERER_MODULES", []):
            import_module(module)
