from django.apps import AppConfig


class RegionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "regions"
    verbose_name = "Sjukvårdsregioner och styrning"

    def ready(self):
        from regions import user_cache

        user_cache.connect_signals()
