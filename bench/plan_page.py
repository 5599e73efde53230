"""Throughput of the plan pages against a Django "hello" view, under gunicorn and wrk.

Not a test: run it by hand on an otherwise idle machine, from the repository root,
with PostgreSQL and Redis running:

    .venv/bin/python bench/plan_page.py [--seconds 5] [--rounds 3] [--connections 8]

It creates a throwaway database (samverkan_pl_bench, dropped again at the end),
migrates it, loads the demo fixtures and grows Mellansverige's decided Aktivitetsplan
2023 to 200 activities (copies of the seed's, with their regions and goals), gives
it a draft next version (the kansli's working copy, 200 activities with their edit
controls), and collects the static files into a temporary directory (production's
manifest storage needs them).
REDIS_URL and CACHE_URL are taken from the environment (Redis databases 12 and 13
unless set); the cache database is cleared at the start, so it must be the bench's own.

Then it starts `gunicorn samverkan.wsgi -w 2` twice with production settings (DEBUG
off, DATABASE_CONN_MAX_AGE=60), and loads one at a time with wrk, in rounds:

  (a) the anchor: a view that answers "hello" through the same settings and
      middleware, served from bench/bench_settings.py (ROOT_URLCONF bench.hello_urls);
  (b) the decided aktivitetsplan with 200 activities: anonymous, signed in without
      roles, and signed in as Mellansverige's kansli (who sees "Ny version");
  (c) its draft next version, for the kansli, with every edit control;
  (d) Mellansverige's verksamhetsplan, anonymous and signed in, and Södra's (15
      sections with the agreement text).

It prints each page's median req/s and median ratio to the anchor of the same round
(target ≥ 25 %, DESIGN.md "Performance"), the ratio of every round, and the number of
SQL queries the page takes, on the first request and once cached. Ports 8610–8611.
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DB_NAME = "samverkan_pl_bench"
SERVER = "postgres://postgres@127.0.0.1:5432"
PORT_APP, PORT_HELLO = 8610, 8611
ACTIVITIES = 200
TARGET = 0.25

STATIC_ROOT = tempfile.mkdtemp(prefix="samverkan-bench-static-")
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "samverkan.settings",
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "bench-" + "x" * 50,
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "DJANGO_SECURE_SSL_REDIRECT": "false",
    "DATABASE_URL": f"{SERVER}/{DB_NAME}",
    "DATABASE_CONN_MAX_AGE": "60",
    "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/12"),
    "CACHE_URL": os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/13"),
    "STATIC_ROOT": STATIC_ROOT,
    "LOG_LEVEL": "WARNING",
}


def _admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def create_database() -> None:
    _admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    _admin_sql(f"CREATE DATABASE {DB_NAME}")


def drop_database() -> None:
    _admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


def manage(*args: str) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args, "-v", "0"], env=ENV, cwd=ROOT, check=True
    )


def build_plans() -> dict[str, str]:
    """Demo fixtures, the decided Aktivitetsplan 2023 grown to ACTIVITIES activities, and
    a draft of its next version.

    Returns the paths to load: {"aktivitetsplan": ..., "verksamhetsplan": ..., ...}.
    """
    os.environ.update(ENV)
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection

    from plans import services
    from plans.models import Activity, ActivityGoal, ActivityPlan, ActivityRegion, OperationalPlan

    # Pages of an earlier run, under the same keys (the plan's pk and the fixture's
    # updated_at), must not be served: the first request of each page renders it.
    cache.clear()
    call_command(
        "loaddata", "regions.yaml", "governance.yaml", "knowledge.yaml", "plans.yaml", verbosity=0
    )
    plan = ActivityPlan.objects.get(healthcare_region__slug="mellansverige", year=2023)
    seed = list(
        Activity.objects.filter(focus_area__activity_plan=plan)
        .prefetch_related("region_links", "goal_links")
        .order_by("pk")
    )
    areas = list(plan.focus_areas.all())
    copies, sources = [], []
    for n in range(ACTIVITIES - len(seed)):
        source = seed[n % len(seed)]
        area = areas[n % len(areas)]
        copies.append(
            Activity(
                focus_area=area,
                position=100 + n,
                title=f"{source.title} ({n + 2})",
                description=source.description,
                responsible_body_id=source.responsible_body_id,
                responsible_group_id=source.responsible_group_id,
            )
        )
        sources.append(source)
    copies = Activity.objects.bulk_create(copies)
    ActivityRegion.objects.bulk_create(
        ActivityRegion(activity=copy, region_id=link.region_id)
        for copy, source in zip(copies, sources, strict=True)
        for link in source.region_links.all()
    )
    ActivityGoal.objects.bulk_create(
        ActivityGoal(activity=copy, goal_id=link.goal_id)
        for copy, source in zip(copies, sources, strict=True)
        for link in source.goal_links.all()
    )
    assert Activity.objects.filter(focus_area__activity_plan=plan).count() == ACTIVITIES
    assert plan.state == "beslutad", "demodatans Aktivitetsplan 2023 ska vara beslutad"
    draft = services.plan_new_version(actor=None, plan=plan)
    paths = {
        "aktivitetsplan": plan.get_absolute_url(),
        "utkast": draft.get_absolute_url(),
        "verksamhetsplan": OperationalPlan.objects.get(
            healthcare_region__slug="mellansverige"
        ).get_absolute_url(),
        "verksamhetsplan-sodra": OperationalPlan.objects.get(
            healthcare_region__slug="sodra"
        ).get_absolute_url(),
    }
    connection.close()
    return paths


def session_cookie(username: str, role: str = "") -> str:
    """A signed-in user, without roles or with one role in Mellansverige: the page
    rendered for a user, not the anonymous page cache."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db import connection

    from regions.models import HealthcareRegion, User
    from regions.services import role_grant

    user = User.objects.create_user(username, password=None)
    if role:
        role_grant(user=user, role=role, scope=HealthcareRegion.objects.get(slug="mellansverige"))
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "samverkan.auth.PortalModelBackend"  # the one that signs in
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    connection.close()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def count_queries(cases: list[tuple[str, str, str]]) -> dict[str, str]:
    """Queries of each case on its first request and once its caches are warm."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name, path, cookie in cases:
        client = Client(HTTP_HOST="127.0.0.1")
        client.cookies.load(cookie)
        cold_and_warm = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            assert response.status_code == 200, (name, path, response.status_code)
            cold_and_warm.append(len(queries))
        counts[name] = "/".join(map(str, cold_and_warm))
    connection.close()
    return counts


class Gunicorn:
    def __init__(self, port: int, settings: str):
        self.port = port
        self.log = tempfile.NamedTemporaryFile(
            prefix="samverkan-bench-gunicorn-", suffix=".log", delete=False
        )
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "samverkan.wsgi",
                "-w",
                "2",
                "-b",
                f"127.0.0.1:{port}",
            ],
            cwd=ROOT,
            env={**ENV, "DJANGO_SETTINGS_MODULE": settings},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, path: str, cookie: str = "") -> str:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", headers={"Cookie": cookie} if cookie else {}
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn avslutades, se {self.log.name}")
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    if response.status == 200:
                        return response.read().decode()
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{request.full_url} svarade inte inom 30 s, se {self.log.name}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()
        os.unlink(self.log.name)


def wrk(port: int, path: str, seconds: int, connections: int, cookie: str = "") -> float:
    url = f"http://127.0.0.1:{port}{path}"
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", *headers, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Non-2xx" in output or "Socket errors" in output:
        raise RuntimeError(f"wrk fick fel från {url}:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    servers: list[Gunicorn] = []
    try:
        print(f"Databas {DB_NAME}: skapar, migrerar, läser in demodata …", flush=True)
        create_database()
        manage("migrate", "--noinput")
        manage("collectstatic", "--noinput")
        paths = build_plans()
        reader, kansli = session_cookie("bench"), session_cookie("bench.kansli", "kansli")
        plan = f"aktivitetsplan ({ACTIVITIES} akt.)"
        cases = [
            (f"{plan}, anonym", paths["aktivitetsplan"], ""),
            (f"{plan}, inloggad", paths["aktivitetsplan"], reader),
            (f"{plan}, kansli", paths["aktivitetsplan"], kansli),
            (f"utkast ({ACTIVITIES} akt.), kansli", paths["utkast"], kansli),
            ("verksamhetsplan, anonym", paths["verksamhetsplan"], ""),
            ("verksamhetsplan, inloggad", paths["verksamhetsplan"], reader),
            ("verksamhetsplan Södra, anonym", paths["verksamhetsplan-sodra"], ""),
        ]
        queries = count_queries(cases)

        # Both servers run throughout, but only one is loaded at a time: an idle gunicorn
        # costs nothing. Each round loads the anchor and then every page, so a page's
        # ratio compares figures taken minutes, not a quarter of an hour, apart on a
        # machine whose load drifts; the medians over the rounds are reported.
        hello = Gunicorn(PORT_HELLO, "bench.bench_settings")
        app = Gunicorn(PORT_APP, "samverkan.settings")
        servers += [hello, app]
        hello.wait_ready("/hello/")
        page = app.wait_ready(paths["aktivitetsplan"])
        shown = len(re.findall(r'id="aktivitet-\d+"', page))
        assert shown == ACTIVITIES, f"sidan visar {shown} aktiviteter, inte {ACTIVITIES}"
        for _name, path, cookie in cases:
            app.wait_ready(path, cookie)
        anchors, rates, ratios = [], defaultdict(list), defaultdict(list)
        for n in range(args.rounds):
            print(f"Omgång {n + 1} av {args.rounds} …", flush=True)
            anchor = wrk(PORT_HELLO, "/hello/", args.seconds, args.connections)
            anchors.append(anchor)
            for name, path, cookie in cases:
                rate = wrk(PORT_APP, path, args.seconds, args.connections, cookie)
                rates[name].append(rate)
                ratios[name].append(rate / anchor)

        print(
            f"\nMedianer över {args.rounds} omgångar à {args.seconds} s, "
            f"{args.connections} anslutningar"
        )
        print(f"{'sida':<40}{'req/s':>8}{'andel':>8}  frågor (kall/varm)  andel per omgång")
        print(
            f"{'hello (ankare)':<40}{median(anchors):>8.0f}{'100%':>8}  "
            f"{'':<18}  {' '.join(f'{a:.0f}' for a in anchors)} req/s"
        )
        for name, _path, _cookie in cases:
            ratio = median(ratios[name])
            mark = "" if ratio >= TARGET else "  under målet 25 %"
            print(
                f"{name:<40}{median(rates[name]):>8.0f}{ratio:>8.0%}  {queries[name]:<18}  "
                f"{' '.join(f'{r:.0%}' for r in ratios[name])}{mark}"
            )
    finally:
        for server in servers:
            server.stop()
        drop_database()
        shutil.rmtree(STATIC_ROOT, ignore_errors=True)


if __name__ == "__main__":
    main()
