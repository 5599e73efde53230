"""Settings of Samverkansportalen, read from environment variables.

Every default points at the local services (PostgreSQL and Redis on 127.0.0.1),
so a developer machine that runs them needs no configuration. Production sets
DJANGO_DEBUG=false, DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE) and
DJANGO_ALLOWED_HOSTS; `manage.py check --deploy` then passes without warnings.
"""

from pathlib import Path

from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from samverkan import env

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env.boolean("DJANGO_DEBUG", False)

SECRET_KEY = env.string("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Miljövariabeln DJANGO_SECRET_KEY (eller DJANGO_SECRET_KEY_FILE) måste vara satt "
            "när DJANGO_DEBUG är av."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-used-in-production-0123456789"

ALLOWED_HOSTS = env.string_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.string_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

# Demo users (see `manage.py load_demo`) may log in only while this is on.
DEMO_LOGINS_ENABLED = env.boolean("DEMO_LOGINS_ENABLED", DEBUG)
if DEMO_LOGINS_ENABLED and not DEBUG:
    raise ImproperlyConfigured("DEMO_LOGINS_ENABLED får bara vara på när DJANGO_DEBUG är på.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "guardian",
    "axes",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "django_htmx",
    "template_partials",
    "csp",
    "import_export",
    "samverkan",
    "documents",
    "regions",
    "knowledge",
    "plans",
    "pricing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "samverkan.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "samverkan.middleware.PortalCSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    # Last, so that it sees the lockout flag the log-in's authenticate() left on the request.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "samverkan.urls"
WSGI_APPLICATION = "samverkan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "samverkan.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": env.database("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/samverkan"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.integer("DATABASE_CONN_MAX_AGE", 0, minimum=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if env.boolean("DATABASE_POOL", False):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.url("REDIS_URL", "redis://127.0.0.1:6379/0", schemes=("redis", "rediss"))
CACHE_URL = env.url("CACHE_URL", "redis://127.0.0.1:6379/1", schemes=("redis", "rediss"))
CACHES = {
    "default": {
        "BACKEND": "samverkan.cache.PortalRedisCache",
        "LOCATION": CACHE_URL,
        "KEY_PREFIX": "samverkan",
        # A Redis that hangs must not hold a page: past these the cache answers a miss.
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
    }
}

AUTH_USER_MODEL = "regions.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out user name and address before any password is checked,
    # on every way in (the portal's log-in, Django admin's, any authenticate() call).
    "samverkan.auth.LoginAttemptBackend",
    "samverkan.auth.PortalModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Public pages are public by their state (decided, published), not by a guardian
# grant to an anonymous user, so guardian's anonymous user is not needed.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "start"
# Log-in throttling (django-axes). Failures are counted per combination of user name
# and client address: after LOGIN_FAILURE_LIMIT of them that user name is refused from
# that address until LOGIN_FAILURE_WINDOW_SECONDS have passed since the last one. Not
# per user name alone, so nobody elsewhere can lock a known user out by typing wrong
# passwords for them; not per address alone, so a hospital network behind one address
# is not locked out by one colleague's typos. A success resets only its own combination.
LOGIN_FAILURE_LIMIT = env.integer("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_FAILURE_WINDOW_SECONDS = env.integer("LOGIN_FAILURE_WINDOW_SECONDS", 900, minimum=1)
AXES_HANDLER = "samverkan.auth.PortalAxesHandler"
AXES_FAILURE_LIMIT = "samverkan.auth.login_failure_limit"
AXES_COOLOFF_TIME = "samverkan.auth.login_cool_off"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "core.addresses.client_address"
AXES_RESET_ON_SUCCESS = True
# An attempt refused during the pause is not another failure: the pause ends when the
# page said it would, and the count is the number of passwords actually checked.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "samverkan.auth.lockout_response"
# Successful log-ins are in the sessions and the history; the failures are what matter.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False  # no banner on every management command
# Reports through the accessibility statement's form per client address and hour.
ACCESSIBILITY_REPORTS_PER_HOUR = env.integer("ACCESSIBILITY_REPORTS_PER_HOUR", 5, minimum=1)

# django-import-export (the admin's import and export of reference data): all rows or
# none, formulas escaped on export. Its formats (XLSX, CSV and ODS, read by core.tabular)
# are set on core.importexport.ImportExportAdmin, since settings cannot import them.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FIXTURE_DIRS = [BASE_DIR / "fixtures"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "Y-m-d"
SHORT_DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
FORMAT_MODULE_PATH = ["samverkan.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.string("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.string("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The largest file any upload form takes (price lists); core.uploads stops reading past it.
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "core.uploads.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

EMAIL_BACKEND = env.string("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.string("EMAIL_HOST", "localhost")
EMAIL_PORT = env.integer("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env.string("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.string("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.boolean("EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = env.string("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = env.string("DEFAULT_FROM_EMAIL", "Samverkansportalen <noreply@localhost>")
ACCESSIBILITY_CONTACT_EMAIL = env.string("ACCESSIBILITY_CONTACT_EMAIL", "tillganglighet@localhost")

# Celery: JSON only, so a model instance passed to a task fails loudly; a task is
# acknowledged after it ran, so a worker killed mid-task leaves it to be redelivered;
# one message at a time per process, so long renders do not starve short jobs.
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env.string("CELERY_QUEUE", "samverkan")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = TIME_ZONE
# A worker process is replaced after this many tasks, or once it has grown past this many
# KiB after a task: WeasyPrint's memory grows with every render and does not level off.
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.integer("CELERY_WORKER_MAX_TASKS_PER_CHILD", 50, minimum=1)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.integer(
    "CELERY_WORKER_MAX_MEMORY_PER_CHILD", 600_000, minimum=10_000
)
# Document jobs (documents.jobs): a rendering worker refreshes its job's heartbeat every
# DOCUMENT_HEARTBEAT_SECONDS; a job "pågår" without a heartbeat for DOCUMENT_STALE_SECONDS
# has lost its worker, and a job "köad" for DOCUMENT_QUEUED_LOST_SECONDS without being
# claimed has lost its message (a Redis restarted without persistence). Beat looks for
# both every DOCUMENT_REQUEUE_SECONDS; a job claimed DOCUMENT_MAX_ATTEMPTS times without
# finishing (it kills every worker that takes it) is given up.
DOCUMENT_HEARTBEAT_SECONDS = env.integer("DOCUMENT_HEARTBEAT_SECONDS", 10, minimum=1)
DOCUMENT_STALE_SECONDS = env.integer("DOCUMENT_STALE_SECONDS", 60, minimum=2)
DOCUMENT_QUEUED_LOST_SECONDS = env.integer("DOCUMENT_QUEUED_LOST_SECONDS", 150, minimum=1)
DOCUMENT_REQUEUE_SECONDS = env.integer("DOCUMENT_REQUEUE_SECONDS", 30, minimum=1)
DOCUMENT_MAX_ATTEMPTS = env.integer("DOCUMENT_MAX_ATTEMPTS", 5, minimum=1)
# A price file uploaded for the preview and never confirmed is deleted, file and all,
# after this many hours (beat, pricing.tasks.pending_submissions_remove).
PENDING_SUBMISSION_HOURS = env.integer("PENDING_SUBMISSION_HOURS", 24, minimum=1)
# Modules that register document renderers besides the apps' own (see documents.registry).
DOCUMENT_RENDERER_MODULES: list[str] = []
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "samverkan.tasks.beat_heartbeat", "schedule": 60.0},
    # Document jobs whose worker died mid-render, or whose message was lost, go back in the queue.
    "documents-requeue-stale": {
        "task": "documents.jobs.documents_requeue_stale_task",
        "schedule": float(DOCUMENT_REQUEUE_SECONDS),
    },
    # Price files uploaded for the preview and never confirmed.
    "pricing-pending-submissions-remove": {
        "task": "pricing.tasks.pending_submissions_remove",
        "schedule": crontab(minute=17),
    },
    # Price contacts of regions that have not submitted: 7 days and 1 day before the deadline.
    "price-collection-reminders": {
        "task": "pricing.tasks.price_collection_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
}

# Security. In production every cookie is secure, HSTS is on and HTTP is
# redirected; behind a TLS-terminating proxy set DJANGO_SECURE_PROXY_SSL_HEADER=true.
SECURE_SSL_REDIRECT = env.boolean("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# Container and load-balancer health probes speak plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60
# Sessions are read from Redis (every signed-in request reads one) and written to both;
# the database stays the record, so a cache flush or restart logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SECURE_HSTS_SECONDS = env.integer("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.boolean("DJANGO_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env.boolean("DJANGO_HSTS_PRELOAD", not DEBUG)
# Reverse proxies in front of the portal, each appending to X-Forwarded-For: the client's
# address for the log-in and form counters is read from there (core.addresses).
TRUSTED_PROXY_COUNT = env.integer("DJANGO_TRUSTED_PROXY_COUNT", 0, minimum=0)
if env.boolean("DJANGO_SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "samverkan.views.csrf_failure"
SECURE_REFERRER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.string("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint logs every page it lays out at INFO: hundreds of lines per prislista.
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
