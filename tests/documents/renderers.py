"""Renderers for the document pipeline's tests, registered in the test process and its worker
(settings_test.DOCUMENT_RENDERER_MODULES). Their subject is any user."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template import Template

from documents.registry import html_to_pdf, register_renderer


def _access(user, subject, *, change=False):
    if not user.is_authenticated:
        raise Http404
    if change and user.pk != subject.pk:
        raise PermissionDenied


def _plain(subject):
    html = (
        f'<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Prov för '
        f"{subject.username}</title></head><body><h1>Prov</h1><p>{subject.first_name}</p>"
        f"</body></html>"
    )
    return f"prov-{subject.pk}.pdf", html_to_pdf(html)


def _broken(subject):
    Template("{% if %}")  # a template with a syntax error
    raise AssertionError("unreachable")


_FLAKY_FAILURES = {}


def _flaky(subject):
    # Fails with OSError the first time per user, as a full disk or lost NFS mount would.
    if not _FLAKY_FAILURES.get(subject.pk):
        _FLAKY_FAILURES[subject.pk] = True
        raise OSError("Tillfälligt lagringsfel")
    return _plain(subject)


register_renderer("test.plain", _plain, access=_access)
register_renderer("test.broken", _broken, access=_access)
register_renderer("test.flaky", _flaky, access=_access)


# For the fault tests (tests/documents/test_faults.py). Each records the worker process
# that ran it in the cache (the test process shares the cache with the worker).


def worker_pid_key(subject) -> str:
    return f"test-documents:pid:{subject.pk}"


def release_key(subject) -> str:
    return f"test-documents:release:{subject.pk}"


def _first_attempt(subject, name: str) -> bool:
    from django.core.cache import cache

    return cache.add(f"test-documents:{name}:{subject.pk}", 1, timeout=600)


def _slow(subject):
    # The first render waits (up to a minute) until the test releases it, so the test
    # can fail what is around the render while it is under way; a redone render does not.
    import os
    import time

    from django.core.cache import cache

    cache.set(worker_pid_key(subject), os.getpid(), timeout=600)
    if _first_attempt(subject, "slow"):
        deadline = time.monotonic() + 60
        while not cache.get(release_key(subject)) and time.monotonic() < deadline:
            time.sleep(0.05)
    return _plain(subject)


def _pid(subject):
    # Named by the worker process that rendered it; the bytes are the same every time.
    import os

    filename, content = _plain(subject)
    return f"pid-{os.getpid()}.pdf", content


def _killer(subject):
    # Kills the worker process that renders it, every time: what a document that makes
    # WeasyPrint run out of memory does.
    import os
    import signal

    os.kill(os.getpid(), signal.SIGKILL)


def _database_dropped(subject):
    # The first render loses its database connection half-way: another session
    # terminates this backend (pg_terminate_backend), as a database restart or a
    # network cut would. The render itself still succeeds.
    import psycopg
    from django.db import connection

    if _first_attempt(subject, "database-dropped"):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            [pid] = cursor.fetchone()
        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        with psycopg.connect(**params, autocommit=True) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])
    return _plain(subject)


register_renderer("test.slow", _slow, access=_access)
register_renderer("test.pid", _pid, access=_access)
register_renderer("test.killer", _killer, access=_access)
register_renderer("test.database_dropped", _database_dropped, access=_access)
