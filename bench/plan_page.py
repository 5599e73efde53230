"""Throughput of the plan pages against a Django "hello" view, under gunicorn and wrk.

Not a test: run it by hand on an otherwise idle machine, from the repository root,
with PostgreSQL and Redis running:

    .venv/bin/python bench/plan_page.py [--seconds 10] [--connections 8]

It creates a throwaway database (samverkan_g_bench, dropped again at the end),
migrates it, loads the demo fixtures and grows Mellansverige's Aktivitetsplan 2023
to 200 activities (copies of the seed's, with their regions and goals), decides
it, so that an anonymous visitor may read it, and collects the static files into a
temporary directory (production's manifest storage needs them).

Then, one server at a time so they do not compete for the two cores, it starts
`gunicorn samverkan.wsgi -w 2` with production settings (DEBUG off,
DATABASE_CONN_MAX_AGE=60) and loads each page with wrk:

  (a) the anchor: a view that answers "hello" through the same settings and
      middleware, served from bench/bench_settings.py (ROOT_URLCONF bench.hello_urls);
  (b) the aktivitetsplan with 200 activities;
  (c) Mellansverige's verksamhetsplan and Södra's (15 sections with the agreement text);
  (d) the aktivitetsplan again, signed in (a session cookie of a user without roles):
      anonymous visitors get decided plans whole from the cache (plans.cache), signed-in
      readers only its items.

It prints req/s for each and the ratio to the anchor (target ≥ 25 %, DESIGN.md
"Performance"), and the number of SQL queries each page takes for an anonymous
visitor, on the first request and once cached. Ports 8610–8611.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DB_NAME = "samverkan_g_bench"
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
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args, "-v", "0"], env=ENV,
                   cwd=ROOT, check=True)


def build_plans() -> dict[str, str]:
    """Demo fixtures, and Aktivitetsplan 2023 grown to ACTIVITIES activities and decided.

    Returns the paths to load: {"aktivitetsplan": ..., "verksamhetsplan": ..., ...}.
    """
    os.environ.update(ENV)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from plans import services
    from plans.models import Activity, ActivityGoal, ActivityPlan, ActivityRegion, OperationalPlan
    from regions.models import Body, Meeting

    call_command("loaddata", "regions.yaml", "governance.yaml", "knowledge.yaml", "plans.yaml",
                 verbosity=0)
    plan = ActivityPlan.objects.get(healthcare_region__slug="mellansverige", year=2023)
    seed = list(Activity.objects.filter(focus_area__activity_plan=plan)
                .prefetch_related("region_links", "goal_links").order_by("pk"))
    areas = list(plan.focus_areas.all())
    copies, sources = [], []
    for n in range(ACTIVITIES - len(seed)):
        source = seed[n % len(seed)]
        area = areas[n % len(areas)]
        copies.append(Activity(
            focus_area=area, position=100 + n, title=f"{source.title} ({n + 2})",
            description=source.description, responsible_body_id=source.responsible_body_id,
            responsible_group_id=source.responsible_group_id))
        sources.append(source)
    copies = Activity.objects.bulk_create(copies)
    ActivityRegion.objects.bulk_create(
        ActivityRegion(activity=copy, region_id=link.region_id)
        for copy, source in zip(copies, sources, strict=True) for link in source.region_links.all())
    ActivityGoal.objects.bulk_create(
        ActivityGoal(activity=copy, goal_id=link.goal_id)
        for copy, source in zip(copies, sources, strict=True) for link in source.goal_links.all())
    assert Activity.objects.filter(focus_area__activity_plan=plan).count() == ACTIVITIES
    services.plan_transition(actor=None, plan=plan, to_state="beredning")
    meeting = Meeting.objects.filter(body__healthcare_region=plan.healthcare_region,
                                     body__kind=Body.Kind.BOARD).order_by("-date").first()
    plan = services.plan_decide(actor=None, plan=plan, meeting=meeting, paragraph=999)
    paths = {
        "aktivitetsplan": plan.get_absolute_url(),
        "verksamhetsplan": OperationalPlan.objects.get(
            healthcare_region__slug="mellansverige").get_absolute_url(),
        "verksamhetsplan-sodra": OperationalPlan.objects.get(
            healthcare_region__slug="sodra").get_absolute_url(),
    }
    connection.close()
    return paths


def session_cookie() -> str:
    """A signed-in reader without roles: the page rendered for a user, not the anonymous
    page cache."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection

    from regions.models import User

    user = User.objects.create_user("bench", password=None)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    connection.close()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def count_queries(paths: dict[str, str]) -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    counts = {}
    for name, path in paths.items():
        cold_and_warm = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            cold_and_warm.append(len(queries))
        counts[name] = "/".join(map(str, cold_and_warm))
    connection.close()
    return counts


class Gunicorn:
    def __init__(self, port: int, settings: str):
        self.port = port
        self.log = tempfile.NamedTemporaryFile(prefix="samverkan-bench-gunicorn-",
                                               suffix=".log", delete=False)
        self.process = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "samverkan.wsgi", "-w", "2",
             "-b", f"127.0.0.1:{port}"],
            cwd=ROOT, env={**ENV, "DJANGO_SETTINGS_MODULE": settings},
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )

    def wait_ready(self, path: str) -> str:
        url = f"http://127.0.0.1:{self.port}{path}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn avslutades, se {self.log.name}")
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        return response.read().decode()
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{url} svarade inte inom 30 s, se {self.log.name}")

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
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", *headers, url],
        capture_output=True, text=True, check=True,
    ).stdout
    if "Non-2xx" in output or "Socket errors" in output:
        raise RuntimeError(f"wrk fick fel från {url}:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    servers: list[Gunicorn] = []
    try:
        print(f"Databas {DB_NAME}: skapar, migrerar, läser in demodata …", flush=True)
        create_database()
        manage("migrate", "--noinput")
        manage("collectstatic", "--noinput")
        paths = build_plans()
        cookie = session_cookie()
        queries = count_queries(paths)

        hello = Gunicorn(PORT_HELLO, "bench.bench_settings")
        servers.append(hello)
        hello.wait_ready("/hello/")
        results = {"hello": wrk(PORT_HELLO, "/hello/", args.seconds, args.connections)}
        hello.stop()
        servers.remove(hello)

        app = Gunicorn(PORT_APP, "samverkan.settings")
        servers.append(app)
        page = app.wait_ready(paths["aktivitetsplan"])
        shown = len(re.findall(r'id="aktivitet-\d+"', page))
        assert shown == ACTIVITIES, f"sidan visar {shown} aktiviteter, inte {ACTIVITIES}"
        for name, path in paths.items():
            app.wait_ready(path)
            results[name] = wrk(PORT_APP, path, args.seconds, args.connections)
        signed_in = "aktivitetsplan, inloggad"
        results[signed_in] = wrk(PORT_APP, paths["aktivitetsplan"], args.seconds,
                                 args.connections, cookie)
        app.stop()
        servers.remove(app)

        anchor = results["hello"]
        print(f"\n{'sida':<36}{'req/s':>8}{'andel':>8}  frågor (kall/varm, anonym)")
        print(f"{'hello (ankare)':<36}{anchor:>8.0f}{'100%':>8}")
        for name in [*paths, signed_in]:
            ratio = results[name] / anchor
            mark = "" if ratio >= TARGET else "  under målet 25 %"
            label = name.replace("aktivitetsplan", f"aktivitetsplan ({ACTIVITIES} akt.)")
            print(f"{label:<36}{results[name]:>8.0f}{ratio:>8.0%}  "
                  f"{queries.get(name, ''):<8}{mark}")
    finally:
        for server in servers:
            server.stop()
        drop_database()
        shutil.rmtree(STATIC_ROOT, ignore_errors=True)


if __name__ == "__main__":
    main()
