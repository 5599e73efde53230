"""Strict readers for settings from environment variables.

A malformed value stops start-up with a message that names the variable, so a
typo in a deployment is found at boot and not at the first request that needs it.
Secrets may be given as `NAME_FILE`, a path to a file holding the value (Docker
and Kubernetes secrets).
"""

import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on", "ja"}
_FALSE = {"0", "false", "no", "off", "nej", ""}
_UNSET = object()


def _raw(name: str) -> str | None:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(
                f"{name}_FILE pekar på {file_name!r}, som inte går att läsa: {exc.strerror}"
            ) from exc
    return os.environ.get(name)


def string(name: str, default=_UNSET) -> str:
    value = _raw(name)
    if value is None:
        if default is _UNSET:
            raise ImproperlyConfigured(f"Miljövariabeln {name} måste vara satt.")
        return default
    return value


def boolean(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"Miljövariabeln {name} har värdet {value!r}; ange true eller false."
    )


def integer(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(
            f"Miljövariabeln {name} har värdet {value!r}; ange ett heltal."
        ) from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(
            f"Miljövariabeln {name} har värdet {number}; det måste vara minst {minimum}."
        )
    return number


def string_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def url(name: str, default: str, *, schemes: tuple[str, ...]) -> str:
    value = _raw(name) or default
    scheme, sep, rest = value.partition("://")
    if not sep or scheme not in schemes or not rest:
        raise ImproperlyConfigured(
            f"Miljövariabeln {name} har värdet {value!r}; "
            f"ange en adress som börjar med {' eller '.join(s + '://' for s in schemes)}."
        )
    return value


def database(name: str, default: str) -> dict:
    value = url(name, default, schemes=("postgres", "postgresql", "pgsql"))
    try:
        config = environ.Env.db_url_config(value)
    except Exception as exc:  # environ raises a mix of types for bad URLs
        raise ImproperlyConfigured(f"Miljövariabeln {name} går inte att tolka: {exc}") from exc
    if not config.get("NAME"):
        raise ImproperlyConfigured(f"Miljövariabeln {name} saknar databasnamn.")
    return config
