"""Demo återrapport: Mellansverige's Återrapport aktivitetsplan 2023 (seed 002) with its PDF.

Run by `load_demo` after the fixtures and users. Loads fixtures/followup.yaml, points
the nämnd's decision (§ 8, 2024-03-15) at the återrapport, and renders the decided
PDF here, without the queue, so that the demo has it even with no worker running.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from documents import jobs as document_jobs
from documents import selectors as document_selectors
from documents.models import DocumentState
from plans.followups import services as followup_services
from plans.models import FollowUpReport
from regions import services as region_services


class Command(BaseCommand):
    help = "Läser in demoåterrapporten för 2023 och skapar dess PDF."

    def handle(self, *args, **options):
        call_command("loaddata", "followup.yaml", verbosity=0)
        for report in FollowUpReport.objects.filter(decision__isnull=False).select_related(
            "decision__meeting__body"
        ):
            if report.decision.subject_id is None:
                region_services.decision_update(
                    actor=None, decision=report.decision, fields={"subject": report}
                )
            done = document_selectors.documents_of(report, followup_services.PDF_KIND).filter(
                state=DocumentState.DONE, is_snapshot=True
            )
            if not done.exists():
                document = document_jobs.document_render_now(
                    actor=None, subject=report, kind=followup_services.PDF_KIND, snapshot=True
                )
                if options["verbosity"] > 1:
                    self.stdout.write(
                        f"{report}: {document.get_state_display()} "
                        f"{document.sha256} {document.reason}"
                    )
