from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "knowledge"
    verbose_name = "Kunskapsstyrning"

    def ready(self):
        from knowledge import history

        history.register()
