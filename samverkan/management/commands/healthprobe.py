"""Container health checks that need more than a one-liner.

    manage.py healthprobe web    # this web server answers /health/ and reaches PostgreSQL and Redis
    manage.py healthprobe beat   # celery beat has ticked lately (its heartbeat job ran)

Exit status 0 when healthy, 1 with a one-line reason otherwise; docker compose runs
them as the `web` and `beat` health checks.
"""

import json
import os
import sys
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand

from samverkan.tasks import BEAT_HEARTBEAT_KEY

# beat enqueues the heartbeat every 60 s; allow for a busy worker before calling it stale.
DEFAULT_BEAT_MAX_AGE_SECONDS = 300


def _probe_host() -> str:
    for host in settings.ALLOWED_HOSTS:
        if host and host != "*":
            return host.lstrip(".")
    return "localhost"


class Command(BaseCommand):
    help = "Hälsokontroll för containrar: webbservern (web) eller celery beat (beat)."

    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("target", choices=["web", "beat"])
        parser.add_argument(
            "--url",
            help="adressen till /health/ (standard: http://127.0.0.1:$PORT/health/)",
        )
        parser.add_argument(
            "--max-age",
            type=float,
            default=DEFAULT_BEAT_MAX_AGE_SECONDS,
            help="högsta tillåtna ålder på beats senaste puls, i sekunder",
        )

    def handle(self, *args, target, url, max_age, **options):
        problem = self._web(url) if target == "web" else self._beat(max_age)
        if problem:
            self.stderr.write(problem)
            sys.exit(1)
        self.stdout.write("ok")

    def _web(self, url: str | None) -> str | None:
        url = url or f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/health/"
        # The Host header must be one the site answers to; the forwarded protocol is what
        # a TLS-terminating proxy would send, so the probe is not redirected to https.
        request = urllib.request.Request(
            url, headers={"Host": _probe_host(), "X-Forwarded-Proto": "https"}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                body = response.read()
        except urllib.error.HTTPError as exc:
            body = exc.read()  # 503 still carries the checks
        except OSError as exc:
            return f"{url} svarar inte: {exc}"
        try:
            checks = json.loads(body)["checks"]
        except (ValueError, KeyError, TypeError):
            return f"{url} gav inget hälsosvar."
        # The web server is healthy when it reaches what it needs itself; a missing
        # Celery worker is the worker's health check's business.
        down = [name for name in ("database", "redis") if checks.get(name) != "ok"]
        return f"webbservern når inte: {', '.join(down)}" if down else None

    def _beat(self, max_age: float) -> str | None:
        try:
            last = cache.get(BEAT_HEARTBEAT_KEY)
        except Exception as exc:  # any cache failure means we cannot tell
            return f"kan inte läsa beats puls från cachen: {exc.__class__.__name__}"
        if not isinstance(last, float):
            return "celery beat har inte tickat än."
        age = time.time() - last
        if age > max_age:
            return f"celery beat tickade senast för {age:.0f} s sedan."
        return None
