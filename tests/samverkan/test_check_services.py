"""`manage.py check_services` says which service is down and how to start it."""

import uuid

import psycopg
import pytest
from django.conf import settings

from tests.samverkan.helpers import clean_environment, manage, output


def _database_url(name: str, port: int | None = None) -> str:
    db = settings.DATABASES["default"]
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}:{port or db.get('PORT') or 5432}/{name}"


def _environment(**overrides):
    return clean_environment(
        **{
            "DJANGO_DEBUG": "true",
            # The maintenance database exists on every PostgreSQL server.
            "DATABASE_URL": _database_url("postgres"),
            "REDIS_URL": settings.REDIS_URL,
            "CACHE_URL": settings.CACHE_URL,
            **overrides,
        }
    )


def test_check_services_passes_when_postgresql_and_redis_answer():
    result = manage("check_services", env=_environment())

    assert result.returncode == 0, output(result)
    assert "Traceback" not in output(result)


def test_check_services_names_postgresql_and_how_to_start_it_when_it_is_down():
    result = manage("check_services", env=_environment(DATABASE_URL=_database_url("x", port=1)))

    assert result.returncode == 1
    assert "PostgreSQL" in result.stderr
    assert "Starta" in result.stderr
    assert "Redis" not in result.stderr
    assert "Traceback" not in output(result)


@pytest.mark.parametrize("variable", ["REDIS_URL", "CACHE_URL"])
def test_check_services_names_redis_and_how_to_start_it_when_it_is_down(variable):
    result = manage("check_services", env=_environment(**{variable: "redis://127.0.0.1:1/0"}))

    assert result.returncode == 1
    assert "Redis" in result.stderr
    assert "Starta" in result.stderr
    assert variable in result.stderr
    assert "PostgreSQL" not in result.stderr
    assert "Traceback" not in output(result)


def test_check_services_reports_both_when_both_are_down():
    result = manage(
        "check_services",
        env=_environment(
            DATABASE_URL=_database_url("x", port=1),
            REDIS_URL="redis://127.0.0.1:1/0",
            CACHE_URL="redis://127.0.0.1:1/1",
        ),
    )

    assert result.returncode == 1
    assert "PostgreSQL" in result.stderr
    assert "Redis" in result.stderr
    assert "Traceback" not in output(result)


def test_check_services_creates_the_database_when_asked_to():
    name = f"samverkan_check_{uuid.uuid4().hex[:12]}"
    maintenance = _database_url("postgres")
    try:
        result = manage(
            "check_services",
            "--create-database",
            env=_environment(DATABASE_URL=_database_url(name)),
        )

        assert result.returncode == 0, output(result)
        with psycopg.connect(maintenance) as conn:
            assert conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    finally:
        with psycopg.connect(maintenance, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
