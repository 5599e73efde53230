"""Settings come from the environment; a bad value stops start-up with a clear message."""

import re
import secrets

import pytest

from tests.samverkan.helpers import clean_environment, manage, output, run

SETUP = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'samverkan.settings'; django.setup()"
)


def production_environment(**overrides):
    return clean_environment(
        **{
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "portal.example.se",
            **overrides,
        }
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DJANGO_DEBUG", "kanske"),
        ("DATABASE_URL", "mysql://x"),
        ("LOGIN_FAILURE_LIMIT", "fem"),
        ("LOGIN_FAILURE_LIMIT", "0"),
        ("REDIS_URL", "http://127.0.0.1:6379/0"),
        ("EMAIL_PORT", "tjugofem"),
    ],
)
def test_a_malformed_setting_stops_start_up_and_names_the_variable(variable, value):
    result = run(["-c", SETUP], env=production_environment(**{variable: value}))

    assert result.returncode != 0
    assert variable in output(result)


def test_production_settings_pass_the_deployment_checks_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_environment())

    assert result.returncode == 0, output(result)


def test_the_secret_key_can_come_from_a_file(tmp_path):
    key = secrets.token_urlsafe(64)
    key_file = tmp_path / "secret_key"
    key_file.write_text(key + "\n")
    env = production_environment(DJANGO_SECRET_KEY_FILE=str(key_file))
    del env["DJANGO_SECRET_KEY"]

    result = run(
        ["-c", SETUP + "; from django.conf import settings; print(settings.SECRET_KEY)"], env=env
    )

    assert result.returncode == 0, output(result)
    assert result.stdout.strip() == key


def test_an_unreadable_secret_key_file_names_the_variable(tmp_path):
    env = production_environment(DJANGO_SECRET_KEY_FILE=str(tmp_path / "finns-inte"))
    del env["DJANGO_SECRET_KEY"]

    result = run(["-c", SETUP], env=env)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY_FILE" in output(result)


def test_debug_off_without_a_secret_key_refuses_to_start():
    env = production_environment()
    del env["DJANGO_SECRET_KEY"]

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in output(result)


def test_demo_logins_cannot_be_switched_on_in_production():
    result = run(["-c", SETUP], env=production_environment(DEMO_LOGINS_ENABLED="true"))

    assert result.returncode != 0
    assert "DEMO_LOGINS_ENABLED" in output(result)


def _directives(policy: str) -> dict[str, list[str]]:
    directives = {}
    for part in policy.split(";"):
        name, *values = part.split()
        if name:
            directives[name] = values
    return directives


@pytest.mark.django_db
def test_pages_forbid_inline_scripts_in_their_content_security_policy(client):
    response = client.get("/")

    policy = _directives(response["Content-Security-Policy"])
    assert "script-src" in policy
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy.get("default-src", [])


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/tillganglighet/", "/konto/logga-in/"])
def test_pages_load_their_scripts_from_files_and_carry_no_inline_script(client, path):
    # script-src allows the portal's own files only (no nonce, no 'unsafe-inline'): an
    # inline script would be blocked, so a page must have none.
    html = client.get(path).content.decode()

    scripts = re.findall(r"<script\b([^>]*)>", html)
    assert scripts, "the page loads no script at all: the search below would prove nothing"
    assert [attributes for attributes in scripts if "src=" not in attributes] == []
