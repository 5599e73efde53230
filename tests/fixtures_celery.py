"""A real Celery worker for tests of background work.

Tests of tasks run a real worker process against the real broker (Redis) and the
pytest-django test database, so they exercise what production does: JSON
serialization, on-commit enqueueing, a separate process with its own connections.

    @pytest.mark.django_db(transaction=True)
    def test_password_reset_mail_is_sent_by_the_worker(client, celery_worker):
        client.post(reverse("password_reset"), {"email": "anna@example.org"})
        [mail] = celery_worker.wait_for_mail(1)

Fixtures:

- ``celery_worker_process`` (session): starts ``celery -A samverkan worker -P solo``
  once per test session, consuming only the test queue (``CELERY_QUEUE``), with the
  test process's ``REDIS_URL`` and ``CACHE_URL`` and ``DATABASE_URL`` pointing to the
  test database. It waits until the worker answers a ping and stops it at the end of
  the session, before pytest-django drops the test database.
- ``celery_worker`` (function): the same worker for one test, with transactional
  database access (the worker only sees committed rows) and an empty mail directory.

The worker sends e-mail with Django's file backend into ``celery_worker.mail_dir``;
``mails()`` and ``wait_for_mail()`` read it. ``wait_until_idle()`` returns once every
job queued before it has run, which is how a test proves that something was *not*
sent. ``paused()`` stops the worker taking jobs for a while, to look at the queue.

Run as ``python -m tests.fixtures_celery <celery arguments>`` this module is the
worker's entry point: ``samverkan.settings_test`` pins the in-memory mail backend,
which a separate process cannot share, so the entry point puts the file backend
from the environment in its place before Celery starts Django.
"""

import email
import email.policy
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from kombu.transport.redis import Transport as RedisTransport

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_SECONDS = 30
STOP_TIMEOUT_SECONDS = 15
# Django's file e-mail backend writes each message followed by a line of 79 dashes.
MAIL_SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def wait_done(document, timeout: float = 60.0):
    """The generated document once the worker has finished with it (klar or misslyckad)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        document.refresh_from_db()
        if not document.is_pending:
            return document
        time.sleep(0.05)
    pytest.fail(f"{document.kind} {document.pk} blev kvar i {document.state}")


def _database_url(db: dict) -> str:
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = db.get("HOST") or "127.0.0.1"
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    return f"postgres://{credentials}{host}:{db.get('PORT') or 5432}/{quote(db['NAME'], safe='')}"


def _celery_app():
    from samverkan.celery import app

    return app


@contextmanager
def _broker_connection():
    from django.conf import settings

    with _celery_app().connection_for_write(settings.CELERY_BROKER_URL) as connection:
        yield connection


@dataclass
class CeleryWorkerProcess:
    """A running worker subprocess, and helpers to observe what it did."""

    process: subprocess.Popen
    nodename: str
    queue: str
    mail_dir: Path
    log_path: Path
    database_url: str

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def is_alive(self) -> bool:
        return self.process.poll() is None

    def ping(self, timeout: float = 1.0) -> bool:
        """Does this worker (and not just any worker on the broker) answer?"""
        with _broker_connection() as connection:
            replies = _celery_app().control.ping(
                destination=[self.nodename], timeout=timeout, connection=connection
            )
        return any(self.nodename in reply for reply in replies)

    def mails(self) -> list[email.message.EmailMessage]:
        """Every e-mail the worker has sent since the mail directory was last cleared."""
        messages = []
        for path in sorted(self.mail_dir.glob("*.log")):
            for chunk in path.read_bytes().split(MAIL_SEPARATOR):
                if chunk.strip():
                    messages.append(email.message_from_bytes(chunk, policy=email.policy.default))
        return messages

    def wait_for_mail(
        self, count: int = 1, timeout: float = 10.0
    ) -> list[email.message.EmailMessage]:
        """Wait until the worker has sent `count` e-mails; fail with its log otherwise."""
        deadline = time.monotonic() + timeout
        while True:
            messages = self.mails()
            if len(messages) >= count or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        if len(messages) < count:
            pytest.fail(
                f"Celery-arbetaren skickade {len(messages)} e-postmeddelanden inom {timeout} s, "
                f"väntade {count}.\n--- arbetarens logg ---\n{self.log()[-5000:]}"
            )
        return messages

    def clear_mail(self) -> None:
        for path in self.mail_dir.glob("*"):
            path.unlink()

    def wait_until_idle(self, timeout: float = 10.0) -> None:
        """Return once every job queued before this call has run.

        The worker takes one job at a time in queue order, so when a heartbeat job
        queued now has run, everything queued before it has run too.
        """
        from django.core.cache import cache

        from samverkan.tasks import BEAT_HEARTBEAT_KEY, beat_heartbeat

        queued_at = time.time()
        beat_heartbeat.apply_async(queue=self.queue)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            last = cache.get(BEAT_HEARTBEAT_KEY)
            if isinstance(last, float) and last >= queued_at:
                return
            time.sleep(0.05)
        pytest.fail(
            f"Celery-arbetaren blev inte klar med kön inom {timeout} s."
            f"\n--- arbetarens logg ---\n{self.log()[-5000:]}"
        )

    @contextmanager
    def paused(self):
        """Stop taking jobs from the test queue inside the block, so a test can look at it.

        Jobs queued meanwhile stay on the broker; clear them before leaving the block
        unless the worker should run them afterwards.
        """
        app = _celery_app()
        with _broker_connection() as connection:
            app.control.cancel_consumer(
                self.queue, destination=[self.nodename], reply=True, connection=connection
            )
        # A BRPOP the worker issued before the cancel may still take one message (kombu
        # then puts it back); it ends within kombu's poll timeout.
        time.sleep(RedisTransport.brpop_timeout + 0.25)
        try:
            yield self
        finally:
            with _broker_connection() as connection:
                app.control.add_consumer(
                    self.queue, destination=[self.nodename], reply=True, connection=connection
                )

    def stop(self) -> None:
        if self.is_alive():
            # Warm shutdown first: the worker finishes its job and closes its connections.
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # whatever the worker left behind
        except ProcessLookupError:
            pass
        self.process.wait()


def _purge(queue: str) -> None:
    # Jobs left over from an earlier, interrupted session would run against this one's data.
    with _broker_connection() as connection:
        connection.default_channel.queue_purge(queue)


def _isolate_xdist_queue() -> None:
    # Under pytest-xdist every test process has its own database; each needs its own
    # queue too, or one process's worker would run another's jobs on the wrong data.
    worker_id = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker_id:
        return
    from django.conf import settings

    queue = f"{settings.CELERY_TASK_DEFAULT_QUEUE}-{worker_id}"
    if not settings.CELERY_TASK_DEFAULT_QUEUE.endswith(f"-{worker_id}"):
        settings.CELERY_TASK_DEFAULT_QUEUE = queue
        _celery_app().conf.task_default_queue = queue


@pytest.fixture(scope="session", autouse=True)
def _celery_configured_from_the_real_settings():
    # Celery reads Django's settings once, on first use. Were that inside a test that
    # overrides CELERY_BROKER_URL, the rest of the session would publish to its broker.
    _celery_app().conf.broker_url  # noqa: B018


def start_worker(
    *,
    queue: str,
    database_url: str,
    work_dir: Path,
    nodename: str,
    pool: tuple[str, ...] = ("-P", "solo", "-c", "1"),
    beat: bool = False,
    env: dict | None = None,
) -> CeleryWorkerProcess:
    """Start a worker subprocess consuming `queue` and wait until it answers a ping.
    `beat` runs celery beat inside it (its schedule file in `work_dir`); `env` overrides
    the environment (settings such as DOCUMENT_STALE_SECONDS)."""
    from django.conf import settings

    mail_dir = work_dir / "mail"
    mail_dir.mkdir(exist_ok=True)
    log_path = work_dir / "worker.log"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "samverkan.settings_test",
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.REDIS_URL,
        "CACHE_URL": settings.CACHE_URL,
        "CELERY_QUEUE": queue,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "PYTHONUNBUFFERED": "1",
        **(env or {}),
    }
    command = [
        sys.executable,
        "-m",
        "tests.fixtures_celery",
        "-A",
        "samverkan",
        "worker",
        *pool,
        "-Q",
        queue,
        "-n",
        nodename,
        "--without-mingle",
        "--without-gossip",
        "--without-heartbeat",
        "-l",
        "info",
    ]
    if beat:
        command += ["-B", "-s", str(work_dir / "celerybeat-schedule")]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    worker = CeleryWorkerProcess(process, nodename, queue, mail_dir, log_path, database_url)

    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while not worker.ping(timeout=0.5):
        if not worker.is_alive() or time.monotonic() > deadline:
            worker.stop()
            pytest.fail(
                f"Celery-arbetaren svarade inte inom {START_TIMEOUT_SECONDS} s "
                f"(status {process.returncode}).\n--- arbetarens logg ---\n{worker.log()[-5000:]}"
            )
    return worker


@contextmanager
def publishing_to(queue: str):
    """Inside the block this process queues its jobs on `queue` (a worker of the test's
    own consumes it), not on the session worker's."""
    from django.conf import settings

    app = _celery_app()
    before = settings.CELERY_TASK_DEFAULT_QUEUE, app.conf.task_default_queue
    settings.CELERY_TASK_DEFAULT_QUEUE = app.conf.task_default_queue = queue
    try:
        yield
    finally:
        settings.CELERY_TASK_DEFAULT_QUEUE, app.conf.task_default_queue = before


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, tmp_path_factory):
    """A real Celery worker for the whole test session; see the module docstring."""
    from django.conf import settings
    from django.db import connections

    _isolate_xdist_queue()
    # django_db_setup has switched the connection to the test database by now.
    database_url = _database_url(connections["default"].settings_dict)
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    work_dir = tmp_path_factory.mktemp("celery-worker")
    _purge(queue)
    worker = start_worker(
        queue=queue,
        database_url=database_url,
        work_dir=work_dir,
        nodename=f"samverkan-test-{os.getpid()}@{socket.gethostname()}",
    )
    yield worker
    worker.stop()
    shutil.rmtree(work_dir, ignore_errors=True)


@pytest.fixture
def own_workers(transactional_db, tmp_path):
    """Start workers of the test's own, on a queue of its own that this process publishes
    to meanwhile: `own_workers.start(pool=..., beat=..., env=...)`. For tests that kill a
    worker or change its settings. Stopped, and the queue emptied, at the end."""
    from django.conf import settings
    from django.db import connections

    queue = f"{settings.CELERY_TASK_DEFAULT_QUEUE}-own-{os.getpid()}"
    database_url = _database_url(connections["default"].settings_dict)
    started = []

    class OwnWorkers:
        def __init__(self):
            self.queue = queue

        def start(self, **options) -> CeleryWorkerProcess:
            work_dir = tmp_path / f"worker-{len(started)}"
            work_dir.mkdir()
            worker = start_worker(
                queue=queue,
                database_url=database_url,
                work_dir=work_dir,
                nodename=f"samverkan-own-{os.getpid()}-{len(started)}@{socket.gethostname()}",
                **options,
            )
            started.append(worker)
            return worker

        def logs(self) -> str:
            return "\n".join(worker.log()[-3000:] for worker in started)

    _purge(queue)
    with publishing_to(queue):
        yield OwnWorkers()
    for worker in started:
        worker.stop()
    _purge(queue)


@pytest.fixture
def celery_worker(celery_worker_process, transactional_db):
    """The session's worker for one test: committed data only, no e-mail from earlier tests."""
    if not celery_worker_process.is_alive():
        pytest.fail(
            "Celery-arbetaren har stannat.\n--- arbetarens logg ---\n"
            + celery_worker_process.log()[-5000:]
        )
    celery_worker_process.clear_mail()
    yield celery_worker_process
    # A job a test left behind must not send its e-mail into the next test's outbox.
    celery_worker_process.wait_until_idle()
    celery_worker_process.clear_mail()


def _run_worker() -> None:
    """Entry point of the worker subprocess (see the module docstring)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings_test")
    from django.conf import settings

    for name in ("EMAIL_BACKEND", "EMAIL_FILE_PATH"):
        if name in os.environ:
            setattr(settings, name, os.environ[name])
    from celery.bin.celery import main

    sys.argv = ["celery", *sys.argv[1:]]
    sys.exit(main())


if __name__ == "__main__":
    _run_worker()
