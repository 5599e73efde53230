"""Document jobs under faults: what survives, and how long each job took to be done.

Not a test (tests/documents/test_faults.py runs the same scenarios small): run it by
hand from the repository root, with PostgreSQL and Redis running:

    .venv/bin/python bench/faults.py [--jobs 20] [--workers 2]

It creates a throwaway database (samverkan_h_bench_faults, dropped at the end) with the
demo data, and starts a real prefork worker and celery beat on a queue of its own, with
the production settings (DOCUMENT_STALE_SECONDS, DOCUMENT_QUEUED_LOST_SECONDS, … unless
set in the environment). Each scenario requests `--jobs` återrapport PDFs, then:

  kill      SIGKILLs every worker process that is rendering a job;
  flush     empties the queue on the broker under the waiting jobs, as a Redis restarted
            without persistence does;
  database  terminates every database backend of the worker while jobs render.

It prints, per scenario, how many jobs ended klar / misslyckad / still pending at the
deadline, and the seconds from the fault to each job's end (target: a killed worker's
job is done again within 120 s).
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support import (  # noqa: E402
    ROOT,
    bench_environment,
    create_database,
    drop_database,
    start_worker,
    stop_worker,
    wait_for_worker,
)

DB_NAME = "samverkan_h_bench_faults"
QUEUE = "samverkan-h-bench-faults"
TARGET_SECONDS = 120
MEDIA_ROOT = tempfile.mkdtemp(prefix="samverkan-bench-media-")
ENV = bench_environment(DB_NAME, QUEUE, MEDIA_ROOT)


def start_beat(log_dir: str) -> subprocess.Popen:
    log = open(Path(log_dir) / "beat.log", "wb")  # noqa: SIM115 (as long as beat)
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "samverkan", "beat", "-l", "warning", "-s"]
        + [str(Path(log_dir) / "celerybeat-schedule")],
        cwd=ROOT,
        env=ENV,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def request(count: int) -> list:
    from documents import jobs as document_jobs
    from plans.followups.services import PDF_KIND
    from plans.models import FollowUpReport

    report = FollowUpReport.objects.order_by("pk").first()
    return [
        document_jobs.document_request(actor=None, subject=report, kind=PDF_KIND)
        for _ in range(count)
    ]


def wait_running(documents, deadline_seconds: float = 60) -> list:
    from documents.models import DocumentState, GeneratedDocument

    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        running = list(
            GeneratedDocument.objects.filter(
                pk__in=[d.pk for d in documents], state=DocumentState.RUNNING
            )
        )
        if running:
            return running
        time.sleep(0.02)
    raise SystemExit("Inget jobb började renderas.")


def report(name: str, documents, fault_at: float, deadline_seconds: float) -> None:
    from documents.models import DocumentState, GeneratedDocument

    ends, pks = {}, {d.pk for d in documents}
    deadline = fault_at + deadline_seconds
    while len(ends) < len(pks) and time.monotonic() < deadline:
        for document in GeneratedDocument.objects.filter(pk__in=pks - set(ends)):
            if not document.is_pending:
                ends[document.pk] = (time.monotonic() - fault_at, document)
        time.sleep(0.1)
    done = [t for t, d in ends.values() if d.state == DocumentState.DONE]
    failed = [d for t, d in ends.values() if d.state == DocumentState.FAILED]
    print(f"{name}: {len(done)} klara, {len(failed)} misslyckade, {len(pks) - len(ends)} kvar")
    if done:
        print(
            f"  sekunder från felet till klar: min {min(done):.1f}, max {max(done):.1f}"
            f" (mål ≤ {TARGET_SECONDS} s för en dödad arbetares jobb)"
        )
        attempts = sorted(d.attempts for _t, d in ends.values())
        print(f"  försök per jobb: {attempts}")
    for document in failed:
        print(f"  misslyckad {document.pk}: {document.reason}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--deadline", type=float, default=600, help="seconds per scenario")
    args = parser.parse_args()

    create_database(
        DB_NAME,
        ENV,
        ["regions.yaml", "governance.yaml", "knowledge.yaml", "plans.yaml", "followup.yaml"],
    )
    os.environ.update(ENV)
    import django

    django.setup()
    import redis
    from django.conf import settings
    from django.db import connection

    from samverkan.celery import app

    app.control.purge()
    worker, nodename = start_worker(ENV, MEDIA_ROOT, concurrency=max(args.workers, 2))
    beat = start_beat(MEDIA_ROOT)
    try:
        wait_for_worker(app, nodename, worker, MEDIA_ROOT)

        # A worker process killed mid-render (the OOM killer, say).
        documents = request(args.jobs)
        for document in wait_running(documents):
            pid = document.worker.rpartition(":")[2]
            if pid.isdigit():
                os.kill(int(pid), signal.SIGKILL)
        report("kill", documents, time.monotonic(), args.deadline)

        # The broker loses the waiting messages (restarted without persistence).
        documents = request(args.jobs)
        wait_running(documents)
        broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
        broker.delete(QUEUE)
        broker.close()
        report("flush", documents, time.monotonic(), args.deadline)

        # The worker's database connections are cut while it renders.
        documents = request(args.jobs)
        wait_running(documents)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                [DB_NAME],
            )
        report("database", documents, time.monotonic(), args.deadline)
    finally:
        stop_worker(beat)
        stop_worker(worker)
        drop_database(DB_NAME)
        shutil.rmtree(MEDIA_ROOT, ignore_errors=True)


if __name__ == "__main__":
    main()
