"""docker-compose.yml and the Dockerfile describe a complete production stack."""

import re

import pytest
import yaml

from tests.samverkan.helpers import ROOT, settings_variables

SERVICES = ["web", "worker", "beat", "db", "redis"]
APP_SERVICES = ["web", "worker", "beat"]
# What settings.py needs to run in production: without these it refuses to start,
# or starts pointing at services that are not in the stack.
REQUIRED_IN_PRODUCTION = [
    "DJANGO_DEBUG",
    "DJANGO_ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "CACHE_URL",
    "MEDIA_ROOT",
]


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _environment(service: dict) -> dict[str, str]:
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    return {name: str(value) for name, value in environment.items()}


def _mounts(service: dict) -> dict[str, str]:
    return {
        target: source
        for source, _, target in (v.partition(":") for v in service.get("volumes", []))
    }


def test_compose_defines_web_worker_beat_postgresql_and_redis(compose):
    assert set(SERVICES) <= set(compose["services"])
    assert compose["services"]["db"]["image"].startswith("postgres:15")
    assert compose["services"]["redis"]["image"].startswith("redis:7")


@pytest.mark.parametrize("name", SERVICES)
def test_every_service_has_a_health_check(compose, name):
    healthcheck = compose["services"][name].get("healthcheck") or {}

    assert healthcheck.get("test")
    assert healthcheck.get("disable") is not True


def test_the_health_checks_ask_the_right_thing(compose):
    services = compose["services"]

    assert "pg_isready" in str(services["db"]["healthcheck"]["test"])
    assert "ping" in str(services["redis"]["healthcheck"]["test"])
    assert "inspect ping" in str(services["worker"]["healthcheck"]["test"])
    assert "healthprobe" in str(services["web"]["healthcheck"]["test"])


def test_web_serves_with_gunicorn_on_port_8000_and_the_others_run_celery(compose):
    services = compose["services"]

    assert "gunicorn samverkan.wsgi" in services["web"]["command"]
    assert any(str(port).endswith("8000:8000") for port in services["web"]["ports"])
    assert "celery -A samverkan worker" in services["worker"]["command"]
    assert "celery -A samverkan beat" in services["beat"]["command"]


def test_the_database_and_the_stored_documents_live_in_named_volumes(compose):
    services, volumes = compose["services"], compose["volumes"]
    db_data = _mounts(services["db"])["/var/lib/postgresql/data"]
    media_root = _environment(services["web"])["MEDIA_ROOT"]

    assert db_data in volumes
    assert _mounts(services["web"])[media_root] in volumes
    assert _mounts(services["worker"])[media_root] == _mounts(services["web"])[media_root]
    assert _environment(services["worker"])["MEDIA_ROOT"] == media_root


@pytest.mark.parametrize("name", APP_SERVICES)
def test_the_app_services_get_every_setting_production_needs(compose, name):
    environment = _environment(compose["services"][name])

    for variable in REQUIRED_IN_PRODUCTION:
        assert environment.get(variable), f"{variable} saknas för {name}"
    assert "DJANGO_SECRET_KEY" in environment or "DJANGO_SECRET_KEY_FILE" in environment
    assert environment["DJANGO_DEBUG"] == "false"
    assert "DEMO_LOGINS_ENABLED" not in environment


def test_secrets_must_be_given_and_have_no_defaults_in_the_compose_file(compose):
    environment = _environment(compose["services"]["web"])

    assert re.fullmatch(r"\$\{DJANGO_SECRET_KEY:\?[^}]+\}", environment["DJANGO_SECRET_KEY"])
    assert re.fullmatch(r"\$\{DJANGO_ALLOWED_HOSTS:\?[^}]+\}", environment["DJANGO_ALLOWED_HOSTS"])
    assert "${POSTGRES_PASSWORD:?" in environment["DATABASE_URL"]


def test_the_app_services_reach_the_database_and_redis_of_the_stack(compose):
    for name in APP_SERVICES:
        environment = _environment(compose["services"][name])
        assert "@db:5432/" in environment["DATABASE_URL"]
        assert environment["REDIS_URL"].startswith("redis://redis:6379/")
        assert environment["CACHE_URL"].startswith("redis://redis:6379/")
        assert {"db", "redis"} <= set(compose["services"][name]["depends_on"])


def test_the_compose_file_sets_only_variables_the_settings_read(compose):
    # A misspelt variable is silently ignored by the settings; catch it here.
    known = settings_variables() | {f"{name}_FILE" for name in settings_variables()}
    known |= {"WEB_CONCURRENCY"}  # read by gunicorn

    for name in APP_SERVICES:
        unknown = set(_environment(compose["services"][name])) - known
        assert not unknown, f"{name}: {sorted(unknown)}"


def test_the_image_installs_the_locked_versions_and_runs_as_an_ordinary_user():
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert re.search(r"^FROM python:3\.11-slim", dockerfile, re.MULTILINE)
    assert "requirements.lock" in dockerfile
    assert "collectstatic" in dockerfile
    for package in [
        "libpango-1.0-0",
        "libpangoft2-1.0-0",
        "libharfbuzz-subset0",
        "fonts-liberation",
    ]:
        assert package in dockerfile
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}


def test_the_image_leaves_out_the_local_environment_and_data():
    ignored = (ROOT / ".dockerignore").read_text().split()

    for path in [".venv", "var", ".git", ".env"]:
        assert path in ignored
