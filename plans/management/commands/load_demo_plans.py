"""Demo data of plans built in code: link the demo decisions to the plans they decide.

Run by `load_demo` (every command named load_demo_<app>) after the fixtures are loaded.
"""

from django.core.management.base import BaseCommand

from plans import services


class Command(BaseCommand):
    help = "Kopplar demobesluten till de planer de gäller."

    def handle(self, *args, **options):
        linked = services.plan_decisions_link(actor=None)
        if options["verbosity"] > 1:
            self.stdout.write(f"{linked} beslut kopplade till sina planer.")
