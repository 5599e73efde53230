from django.apps import AppConfig


class PlansConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "plans"
    verbose_name = "Planering och uppföljning"

    def ready(self):
        from plans import cache

        cache.connect_signals()
