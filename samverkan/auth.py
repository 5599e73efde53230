"""Log-in rules: demo accounts only in demo mode, and a pause after repeated failures
per user name and address (django-axes); the signed-in user read from the cache."""

import datetime
import hashlib
import math

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_credentials, get_failure_limit
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from core.mail import send_email
from core.queueing import enqueue_on_commit
from regions import user_cache


class PortalModelBackend(ModelBackend):
    def get_user(self, user_id):
        """ModelBackend's, with the user's row (and permissions) from the cache: every
        signed-in request loads its user (regions.user_cache)."""
        user = user_cache.user_get(user_id, lambda: self._user_row(user_id))
        return user if user is not None and self.user_can_authenticate(user) else None

    @staticmethod
    def _user_row(user_id):
        model = get_user_model()
        try:
            return model._default_manager.get(pk=user_id)
        except model.DoesNotExist:
            return None

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None:
            # The password matched: this attempt is decided and was no failure.
            login_reservation_release(request)
        return user

    def user_can_authenticate(self, user):
        # Demo accounts have published passwords; they must never work in production.
        if getattr(user, "is_demo", False) and not settings.DEMO_LOGINS_ENABLED:
            return False
        return super().user_can_authenticate(user)


# Log-in throttling ------------------------------------------------------------------
#
# django-axes counts the failures (AxesDatabaseHandler: one row per user name, address
# and user agent, incremented under SELECT ... FOR UPDATE) and refuses a locked-out
# combination in LoginAttemptBackend, first of AUTHENTICATION_BACKENDS, so every
# authenticate() call goes through it: the portal's log-in, Django admin's, any other.
# The combination is user name *and* address (settings.AXES_LOCKOUT_PARAMETERS): wrong
# passwords typed for a user from one address slow that address down for that user
# name and leave the user free to log in from their own.
#
# Axes checks the count before the password and records a failure after it, so
# attempts sent in parallel all pass the check before the first is recorded (axes
# issue #592, "won't fix"). LoginAttemptBackend therefore also reserves a place in the
# count: an atomic Redis counter of attempts under way for the combination, added to
# the failures axes has recorded, so that at most LOGIN_FAILURE_LIMIT passwords are
# checked however many requests arrive at once. The reservation is given back once the
# attempt is decided: after axes has recorded a failure, or when the password matched.

IN_FLIGHT_SECONDS = 60


def login_failure_limit(request, credentials) -> int:
    return settings.LOGIN_FAILURE_LIMIT


def login_cool_off(request) -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def _in_flight_key(request, credentials) -> str:
    username = get_client_username(request, credentials) or ""
    combination = f"{username}\0{request.axes_ip_address or ''}"
    return "login-in-flight:" + hashlib.sha256(combination.encode()).hexdigest()[:32]


def _reserve(request, credentials) -> bool:
    """Count this attempt as under way; False (and nothing counted) if the attempts
    under way and the failures recorded already reach the limit."""
    key = _in_flight_key(request, credentials)
    cache.add(key, 0, timeout=IN_FLIGHT_SECONDS)
    try:
        in_flight = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 0, timeout=IN_FLIGHT_SECONDS)
        in_flight = cache.incr(key)
    # Kept while attempts keep coming, so the count never vanishes under one in flight.
    cache.touch(key, IN_FLIGHT_SECONDS)
    failures = AxesProxyHandler.get_failures(request, credentials)
    if failures + in_flight > get_failure_limit(request, credentials):
        _decrement(key)
        return False
    request.portal_login_reservation = key
    return True


def _decrement(key: str) -> None:
    try:
        cache.decr(key)
    except ValueError:  # expired: nothing left to give back
        pass


def login_reservation_release(request) -> None:
    """Give back the request's place in the count of attempts under way, if it holds one."""
    key = getattr(request, "portal_login_reservation", None) if request is not None else None
    if key is not None:
        del request.portal_login_reservation
        _decrement(key)


class LoginAttemptBackend(AxesStandaloneBackend):
    """Axes' check that the user name and address are not locked out, plus the
    reservation that makes the check and the count one atomic step. Logs nobody in."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        super().authenticate(request, username=username, password=password, **kwargs)
        if not settings.AXES_ENABLED:
            return None
        credentials = get_credentials(username=username, password=password, **kwargs)
        if not _reserve(request, credentials):
            # As axes does for a combination already locked out: no password is checked,
            # and authenticate() reports the failure (not recorded again, see settings).
            request.axes_locked_out = True
            raise AxesBackendPermissionDenied("Too many log-in attempts under way.")
        return None


class PortalAxesHandler(AxesDatabaseHandler):
    """Axes' database handler, giving back the attempt's reservation once its failure
    is recorded, so the next attempt sees it among the failures."""

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        try:
            super().user_login_failed(sender, credentials, request=request, **kwargs)
        finally:
            login_reservation_release(request)


THROTTLED_MESSAGE = _(
    "För många misslyckade inloggningsförsök. Vänta %(minutes)s minuter och försök igen."
)


def lockout_response(request, original_response, credentials):
    """What a locked-out log-in answers (AXES_LOCKOUT_CALLABLE): the log-in page it was
    sent from, whose form says why (LoginThrottleMessage), as 429 Too Many Requests."""
    if original_response is not None and original_response.status_code == 200:
        original_response.status_code = 429
        return original_response
    return HttpResponse(throttled_message(), status=429, content_type="text/plain; charset=utf-8")


def throttled_message() -> str:
    return THROTTLED_MESSAGE % {
        "minutes": max(1, math.ceil(settings.LOGIN_FAILURE_WINDOW_SECONDS / 60))
    }


class LoginThrottleMessage:
    """For a log-in form: when axes has locked the user name and address out, the form
    says so in Swedish instead of "wrong user name or password"."""

    def get_invalid_login_error(self):
        if getattr(self.request, "axes_locked_out", False):
            return ValidationError(throttled_message(), code="throttled")
        return super().get_invalid_login_error()


class PortalAuthenticationForm(LoginThrottleMessage, auth_forms.AuthenticationForm):
    """The portal's log-in form: Django's, with the throttling message."""

    error_messages = {
        "invalid_login": _(
            "Fel användarnamn eller lösenord. Observera att båda fälten skiljer på stora "
            "och små bokstäver."
        ),
        "inactive": _("Kontot är inte aktivt."),
    }


class PortalAdminAuthenticationForm(LoginThrottleMessage, AdminAuthenticationForm):
    """Django admin's log-in form, with the same throttling message."""


class QueuedPasswordResetForm(auth_forms.PasswordResetForm):
    """Password reset whose e-mail is sent by a Celery worker, so a slow mail server
    never holds up the page."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        from django.template import loader

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        enqueue_on_commit(send_email, subject=subject, body=body, to=[to_email])
