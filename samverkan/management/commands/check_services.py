"""Is PostgreSQL up, is Redis up? Say which one is not, and how to start it.

    manage.py check_services                     # exit 1 if a service is unreachable
    manage.py check_services --create-database   # and create DATABASE_URL's database if missing

The run scripts call this before anything that would otherwise fail with a
driver's traceback. It needs nothing but the settings: no migrations, no system
checks, so it works on a machine where nothing has been set up yet.
"""

import shutil
import sys
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import redis
from django.conf import settings
from django.core.management.base import BaseCommand
from psycopg import sql

CONNECT_TIMEOUT_SECONDS = 3
LOCAL_HOSTS = {"", "localhost", "127.0.0.1", "::1", "[::1]"}
REDIS_START = (
    'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port {port} --save "" '
    "--appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log"
)


def postgres_start_hint(host: str) -> str:
    """The command that starts the local PostgreSQL cluster, as exactly as this machine allows."""
    if host not in LOCAL_HOSTS:
        return f"Kontrollera att servern {host} är igång och nåbar, eller rätta DATABASE_URL."
    clusters = Path("/etc/postgresql")
    versions = (
        sorted(
            (p for p in clusters.iterdir() if p.is_dir() and p.name.isdigit()),
            key=lambda p: int(p.name),
        )
        if clusters.is_dir()
        else []
    )
    if versions:
        version = versions[-1]
        names = sorted(p.name for p in version.iterdir() if p.is_dir())
        cluster = "main" if "main" in names or not names else names[0]
        return (
            f"Starta den med: pg_ctlcluster --skip-systemctl-redirect "
            f"{version.name} {cluster} start"
        )
    return (
        "Starta PostgreSQL 15 (till exempel: sudo systemctl start postgresql), "
        "eller hela miljön med: docker compose up -d db redis"
    )


def redis_start_hint(host: str, port: int) -> str:
    if host not in LOCAL_HOSTS:
        return f"Kontrollera att servern {host} är igång och nåbar, eller rätta REDIS_URL och CACHE_URL."
    if shutil.which("redis-server"):
        return "Starta den med: " + REDIS_START.format(port=port)
    return (
        "Starta Redis (till exempel: sudo systemctl start redis-server), "
        "eller hela miljön med: docker compose up -d db redis"
    )


def _reason(exc: Exception) -> str:
    # libpq repeats the address and adds a hint line; what failed follows the last "failed:".
    first_line = (str(exc).strip().splitlines() or [exc.__class__.__name__])[0]
    return first_line.rpartition("failed:")[2].strip().rstrip(".") or first_line


class Command(BaseCommand):
    help = (
        "Kontrollerar att PostgreSQL och Redis svarar, och säger hur de startas om de inte gör det."
    )

    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--create-database",
            action="store_true",
            help="skapa databasen i DATABASE_URL om den inte finns",
        )

    def handle(self, *args, create_database=False, **options):
        problems = self._postgres(create_database, options["verbosity"]) + self._redis()
        if problems:
            for problem in problems:
                self.stderr.write(self.style.ERROR(problem))
            # A clean exit status, not CommandError: the messages above are the whole story.
            sys.exit(1)
        if options["verbosity"] > 0:
            self.stdout.write("PostgreSQL och Redis svarar.")

    def _postgres(self, create_database: bool, verbosity: int) -> list[str]:
        db = settings.DATABASES["default"]
        host, port = db.get("HOST") or "127.0.0.1", int(db.get("PORT") or 5432)
        params = {
            "host": host,
            "port": port,
            "user": db.get("USER") or None,
            "password": db.get("PASSWORD") or None,
            "connect_timeout": CONNECT_TIMEOUT_SECONDS,
        }
        name = db["NAME"]
        try:
            # The maintenance database always exists, so "server down" and "database
            # missing" are told apart.
            with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
                exists = conn.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", [name]
                ).fetchone()
                if not exists and create_database:
                    conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                    self.stdout.write(f"Skapade databasen {name}.")
                    exists = True
        except psycopg.Error as exc:
            reason = _reason(exc)
            if "FATAL:" in reason:  # the server answered, and said no
                return [
                    f"PostgreSQL på {host}:{port} svarar men vägrar ansluta "
                    f"({reason.replace('FATAL:', '').strip()}). "
                    "Kontrollera användare och lösenord i DATABASE_URL."
                ]
            return [
                f"PostgreSQL svarar inte på {host}:{port} ({reason}). " + postgres_start_hint(host)
            ]
        if not exists and verbosity > 0:
            # Not a failure: the tests create their own database, and the demo asks
            # for --create-database.
            self.stdout.write(
                f"Databasen {name} finns inte än; skapa den med: "
                "python manage.py check_services --create-database"
            )
        return []

    def _redis(self) -> list[str]:
        problems = []
        servers = {}
        for variable, url in (("REDIS_URL", settings.REDIS_URL), ("CACHE_URL", settings.CACHE_URL)):
            parts = urlsplit(url)
            servers.setdefault((parts.hostname or "127.0.0.1", parts.port or 6379), []).append(
                (variable, url)
            )
        for (host, port), uses in servers.items():
            for _variable, url in uses:
                client = redis.Redis.from_url(
                    url,
                    socket_connect_timeout=CONNECT_TIMEOUT_SECONDS,
                    socket_timeout=CONNECT_TIMEOUT_SECONDS,
                )
                try:
                    client.ping()
                except redis.RedisError as exc:
                    names = " och ".join(v for v, _ in uses)
                    problems.append(
                        f"Redis svarar inte på {host}:{port} ({_reason(exc)}; används av {names}). "
                        + redis_start_hint(host, port)
                    )
                    break  # one message per server, however many variables use it
                finally:
                    client.close()
        return problems
