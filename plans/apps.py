from django.apps import AppConfig


class PlansConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "plans"
    verbose_name = "Planering och uppföljning"

    def ready(self):
        from knowledge.search import register_search_source
        from plans import cache, pdf, search

        cache.connect_signals()
        register_search_source(search.plan_search)
        pdf.register()  # PDF renderers of plans and återrapporter (documents.registry)
