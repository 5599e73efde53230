"""What the benchmark scripts share: a throwaway database and a real Celery worker.

Each script sets its own environment (database, queue, media directory) and passes
it in; nothing here reads the project's settings before the script has set them.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVER = "postgres://postgres@127.0.0.1:5432"
PSQL = ["-h", "127.0.0.1", "-U", "postgres"]


def bench_environment(db_name: str, queue: str, media_root: str, **extra: str) -> dict:
    """Production settings (DEBUG off) against the throwaway database and queue."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "samverkan.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"{SERVER}/{db_name}",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/4"),
        "CACHE_URL": os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/5"),
        "CELERY_QUEUE": queue,
        "MEDIA_ROOT": media_root,
        **extra,
    }


def create_database(db_name: str, env: dict, fixtures: list[str]) -> None:
    subprocess.run(["dropdb", *PSQL, "--if-exists", db_name], check=True)
    subprocess.run(["createdb", *PSQL, db_name], check=True)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], check=True, env=env, cwd=ROOT)
    if fixtures:
        subprocess.run([*manage, "loaddata", *fixtures, "-v0"], check=True, env=env, cwd=ROOT)


def drop_database(db_name: str) -> None:
    from django.db import connections

    connections.close_all()
    subprocess.run(["dropdb", *PSQL, "--if-exists", db_name], check=False)


def start_worker(env: dict, log_dir: str, *, concurrency: int = 1) -> tuple[subprocess.Popen, str]:
    """A real worker on the script's queue: `-P solo` for one, prefork for several."""
    nodename = f"bench-{os.getpid()}-{concurrency}@{socket.gethostname()}"
    pool = ["-P", "solo"] if concurrency == 1 else ["-P", "prefork", "-c", str(concurrency)]
    log = open(Path(log_dir) / f"worker-{concurrency}.log", "wb")  # noqa: SIM115 (as long as the worker)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "samverkan",
            "worker",
            *pool,
            "-Q",
            env["CELERY_QUEUE"],
            "-n",
            nodename,
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
            "-l",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return process, nodename


def wait_for_worker(
    app, nodename: str, process: subprocess.Popen, log_dir: str, timeout: float = 30.0
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"Arbetaren stannade; se loggen i {log_dir}")
        if any(
            nodename in reply for reply in app.control.ping(destination=[nodename], timeout=0.5)
        ):
            return
    raise SystemExit("Arbetaren svarade inte.")


def stop_worker(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()


def wait_for_document(document) -> float:
    """Poll the job until it is no longer pending; raise if it failed."""
    while True:
        document.refresh_from_db()
        if not document.is_pending:
            break
        time.sleep(0.005)
    if document.state != "klar":
        raise SystemExit(f"Jobbet misslyckades: {document.reason}")
    return time.perf_counter()
