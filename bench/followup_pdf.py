"""The återrapport's PDF through Celery against a bare WeasyPrint render of the same HTML.

Not a test: run it by hand on an otherwise idle machine, from the repository root,
with PostgreSQL and Redis running:

    .venv/bin/python bench/followup_pdf.py [--runs 5]

It creates a throwaway database (samverkan_h_bench_pdf, dropped again at the end),
migrates it and loads the demo data with Mellansverige's Återrapport aktivitetsplan
2023 (seed 002, 21 activities). It starts a real worker subprocess
(`celery worker -P solo`, its own queue, media in a temporary directory) and, after
one warm-up job each, times:

  (a) the pipeline: from the request (GeneratedDocument created, the job enqueued on
      commit) to the stored PDF marked klar in the database, as the page sees it;
  (b) the anchor: WeasyPrint rendering the same HTML to the same PDF/UA-1 in this
      process, with nothing around it.

It prints the average of each and the ratio (target ≤ 1.3×, DESIGN.md "Performance").
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support import (  # noqa: E402
    bench_environment,
    create_database,
    drop_database,
    start_worker,
    stop_worker,
    wait_for_document,
    wait_for_worker,
)

DB_NAME = "samverkan_h_bench_pdf"
QUEUE = "samverkan-h-bench-pdf"
TARGET = 1.3
MEDIA_ROOT = tempfile.mkdtemp(prefix="samverkan-bench-media-")
ENV = bench_environment(DB_NAME, QUEUE, MEDIA_ROOT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    create_database(
        DB_NAME,
        ENV,
        ["regions.yaml", "governance.yaml", "knowledge.yaml", "plans.yaml", "followup.yaml"],
    )
    os.environ.update(ENV)
    import django

    django.setup()
    from django.db import transaction

    from documents import jobs as document_jobs
    from documents import registry as document_registry
    from plans.followups import selectors as followup_selectors
    from plans.followups.services import PDF_KIND
    from plans.models import FollowUpReport
    from plans.pdf import followup_report_html
    from samverkan.celery import app

    app.control.purge()
    worker, nodename = start_worker(ENV, MEDIA_ROOT)
    try:
        wait_for_worker(app, nodename, worker, MEDIA_ROOT)
        report = FollowUpReport.objects.select_related(
            "healthcare_region", "decision__meeting__body"
        ).get()

        def through_celery() -> float:
            start = time.perf_counter()
            with transaction.atomic():
                document = document_jobs.document_request(actor=None, subject=report, kind=PDF_KIND)
            return wait_for_document(document) - start

        html = followup_report_html(
            report, followup_selectors.report_contents(report, with_comments=False)
        )

        def bare() -> float:
            start = time.perf_counter()
            document_registry.html_to_pdf(html)
            return time.perf_counter() - start

        through_celery()
        bare()  # warm-up: imports, fonts, the worker's first connection
        celery_times, bare_times = [], []
        for _ in range(args.runs):  # interleaved, so drift on the machine hits both alike
            celery_times.append(through_celery())
            bare_times.append(bare())
        avg_celery = sum(celery_times) / len(celery_times)
        avg_bare = sum(bare_times) / len(bare_times)
        ratio = avg_celery / avg_bare
        print(f"Återrapport aktivitetsplan 2023 (seed 002), {args.runs} körningar var:")
        print(
            f"  bar WeasyPrint (samma HTML, PDF/UA-1): {avg_bare * 1000:7.0f} ms  "
            f"({', '.join(f'{t * 1000:.0f}' for t in bare_times)})"
        )
        print(
            f"  via Celery, begäran → lagrad PDF:       {avg_celery * 1000:7.0f} ms  "
            f"({', '.join(f'{t * 1000:.0f}' for t in celery_times)})"
        )
        print(f"  kvot: {ratio:.2f}× (mål ≤ {TARGET}×) {'OK' if ratio <= TARGET else 'ÖVER MÅLET'}")
    finally:
        stop_worker(worker)
        drop_database(DB_NAME)
        shutil.rmtree(MEDIA_ROOT, ignore_errors=True)


if __name__ == "__main__":
    main()
