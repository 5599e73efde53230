"""Helpers for tests that start the project in a subprocess or read its settings' source."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_SOURCE = (ROOT / "samverkan" / "settings.py").read_text()


def settings_variables() -> set[str]:
    """Every environment variable samverkan/settings.py reads through samverkan.env."""
    return set(re.findall(r'env\.\w+\(\s*"([A-Z][A-Z0-9_]*)"', SETTINGS_SOURCE))


def clean_environment(**overrides: str) -> dict[str, str]:
    """The test process's environment without any of the settings' variables (the
    test settings set several), plus `overrides`."""
    names = settings_variables()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in names
        and key.removesuffix("_FILE") not in names
        # Django's own switches of the test process (the browser tests relax async
        # safety) are not the deployment's either.
        and key not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    # Keep the services the test run uses, so nothing here touches someone else's.
    for name in ("DATABASE_URL", "REDIS_URL", "CACHE_URL", "CELERY_QUEUE"):
        if name in os.environ:
            env[name] = os.environ[name]
    env.update(overrides)
    return env


def run(args: list[str], env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    """Run `python args…` in the project directory, as a user would."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def manage(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    return run(["manage.py", *args], env=env, timeout=timeout)


def output(result: subprocess.CompletedProcess) -> str:
    return result.stdout + result.stderr
