"""Test settings: the real settings, against the same kind of services, made fast and isolated.

Tests use PostgreSQL and Redis like production, but their own Redis databases and
Celery queue, so a running demo worker never picks up a test's jobs.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")
os.environ.setdefault("CACHE_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("CELERY_QUEUE", "samverkan-test")
# Generated documents go to their own directory, shared by the test process and its worker.
os.environ.setdefault(
    "MEDIA_ROOT",
    os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "var", "test-media"),
)

from samverkan.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Renderers the document pipeline's tests use (a plain one, a broken template, a flaky disk).
DOCUMENT_RENDERER_MODULES = ["tests.documents.renderers"]

# Parallel test workers (pytest -n) each have a test database of their own, so each gets
# a cache of its own too: sessions, users and permissions are cached by id, and every
# test starts by emptying the cache. The controller set CACHE_URL before the workers
# started, so a worker moves off the default here (and tells its Celery worker through
# the environment). The broker is shared; fixtures_celery gives each its own queue.
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "").removeprefix("gw")
if _XDIST_WORKER.isdigit() and CACHE_URL == "redis://127.0.0.1:6379/15":  # noqa: F405
    _CACHE_DB = (15, 13, 12, 11, 10, 9, 8, 7)[int(_XDIST_WORKER) % 8]
    CACHE_URL = f"redis://127.0.0.1:6379/{_CACHE_DB}"
    CACHES["default"]["LOCATION"] = os.environ["CACHE_URL"] = CACHE_URL  # noqa: F405
