from django.apps import AppConfig


class PricingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pricing"
    verbose_name = "Prislistor"

    def ready(self):
        from pricing import documents, history

        history.register()
        documents.register()
