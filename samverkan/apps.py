from django.apps import AppConfig


class SamverkanConfig(AppConfig):
    name = "samverkan"
    verbose_name = "Samverkansportalen"
