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
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DB_NAME = "samverkan_h_bench_pdf"
SERVER = "postgres://postgres@127.0.0.1:5432"
QUEUE = "samverkan-h-bench-pdf"
TARGET = 1.3
MEDIA_ROOT = tempfile.mkdtemp(prefix="samverkan-bench-media-")
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "samverkan.settings",
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "bench-" + "x" * 50,
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "DJANGO_SECURE_SSL_REDIRECT": "false",
    "DATABASE_URL": f"{SERVER}/{DB_NAME}",
    "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/8"),
    "CACHE_URL": os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/9"),
    "CELERY_QUEUE": QUEUE,
    "MEDIA_ROOT": MEDIA_ROOT,
}


def _psql_host_args():
    return ["-h", "127.0.0.1", "-U", "postgres"]


def _setup_database() -> None:
    subprocess.run(["dropdb", *_psql_host_args(), "--if-exists", DB_NAME], check=True)
    subprocess.run(["createdb", *_psql_host_args(), DB_NAME], check=True)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], check=True, env=ENV, cwd=ROOT)
    subprocess.run([*manage, "loaddata", "regions.yaml", "governance.yaml", "knowledge.yaml",
                    "plans.yaml", "followup.yaml", "-v0"], check=True, env=ENV, cwd=ROOT)


def _start_worker() -> tuple[subprocess.Popen, str]:
    nodename = f"bench-pdf-{os.getpid()}@{socket.gethostname()}"
    log = open(Path(MEDIA_ROOT) / "worker.log", "wb")  # noqa: SIM115 (lives as long as the worker)
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "samverkan", "worker", "-P", "solo", "-c", "1",
         "-Q", QUEUE, "-n", nodename, "--without-mingle", "--without-gossip",
         "--without-heartbeat", "-l", "warning"],
        cwd=ROOT, env=ENV, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    return process, nodename


def _wait_for_worker(app, nodename, process, timeout=30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("Arbetaren stannade; se " + str(Path(MEDIA_ROOT) / "worker.log"))
        if any(nodename in reply for reply in app.control.ping(destination=[nodename],
                                                              timeout=0.5)):
            return
    raise SystemExit("Arbetaren svarade inte.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    _setup_database()
    os.environ.update(ENV)
    import django

    django.setup()
    from django.db import transaction

    from plans import followup_selectors
    from plans.followup_services import PDF_KIND
    from plans.models import FollowUpReport
    from plans.pdf import followup_report_html
    from samverkan import documents
    from samverkan.celery import app

    app.control.purge()
    worker, nodename = _start_worker()
    try:
        _wait_for_worker(app, nodename, worker)
        report = FollowUpReport.objects.select_related(
            "healthcare_region", "decision__meeting__body").get()

        def through_celery() -> float:
            start = time.perf_counter()
            with transaction.atomic():
                document = documents.document_request(actor=None, subject=report, kind=PDF_KIND)
            while True:
                document.refresh_from_db(fields=["state", "reason"])
                if not document.is_pending:
                    break
                time.sleep(0.005)
            elapsed = time.perf_counter() - start
            if document.state != "klar":
                raise SystemExit(f"Jobbet misslyckades: {document.reason}")
            return elapsed

        html = followup_report_html(report, followup_selectors.report_contents(
            report, with_comments=False))

        def bare() -> float:
            start = time.perf_counter()
            documents.html_to_pdf(html)
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
        print(f"  bar WeasyPrint (samma HTML, PDF/UA-1): {avg_bare * 1000:7.0f} ms  "
              f"({', '.join(f'{t * 1000:.0f}' for t in bare_times)})")
        print(f"  via Celery, begäran → lagrad PDF:       {avg_celery * 1000:7.0f} ms  "
              f"({', '.join(f'{t * 1000:.0f}' for t in celery_times)})")
        print(f"  kvot: {ratio:.2f}× (mål ≤ {TARGET}×) {'OK' if ratio <= TARGET else 'ÖVER MÅLET'}")
    finally:
        worker.terminate()
        try:
            worker.wait(15)
        except subprocess.TimeoutExpired:
            worker.kill()
        from django.db import connections

        connections.close_all()
        subprocess.run(["dropdb", *_psql_host_args(), "--if-exists", DB_NAME], check=False)
        import shutil

        shutil.rmtree(MEDIA_ROOT, ignore_errors=True)


if __name__ == "__main__":
    main()
