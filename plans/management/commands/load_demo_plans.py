"""Demo data of plans built in code: link the demo decisions to the plans they decide,
and render each decided plan's PDF as its decided snapshot.

Run by `load_demo` (every command named load_demo_<app>) after the fixtures are loaded.
The PDFs are rendered here, without the queue, so that the demo has them even with no
worker running; a plan that has its snapshot already is left as it is.
"""

from django.core.management.base import BaseCommand

from documents import jobs as document_jobs
from documents import selectors as document_selectors
from documents.models import DocumentState
from plans import services
from plans.models import ActivityPlan, OperationalPlan, PlanState


class Command(BaseCommand):
    help = "Kopplar demobesluten till de planer de gäller och skapar de beslutade planernas PDF."

    def handle(self, *args, **options):
        linked = services.plan_decisions_link(actor=None)
        if options["verbosity"] > 1:
            self.stdout.write(f"{linked} beslut kopplade till sina planer.")
        for model in (OperationalPlan, ActivityPlan):
            for plan in model.objects.filter(state=PlanState.DECIDED):
                kind = services.plan_pdf_kind(plan)
                if (
                    document_selectors.documents_of(plan, kind)
                    .filter(state=DocumentState.DONE, is_snapshot=True)
                    .exists()
                ):
                    continue
                document = document_jobs.document_render_now(
                    actor=None, subject=plan, kind=kind, snapshot=True
                )
                if options["verbosity"] > 1:
                    self.stdout.write(
                        f"{plan}: {document.get_state_display()} "
                        f"{document.sha256} {document.reason}"
                    )
