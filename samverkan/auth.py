"""Log-in rules: demo accounts only in demo mode, and a pause after repeated failures;
the signed-in user read from the cache."""

import hashlib

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import ValidationError
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

    def user_can_authenticate(self, user):
        # Demo accounts have published passwords; they must never work in production.
        if getattr(user, "is_demo", False) and not settings.DEMO_LOGINS_ENABLED:
            return False
        return super().user_can_authenticate(user)


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") if request else ""


def _failure_keys(request, username: str) -> list[str]:
    name = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return [f"login-failures:user:{name}", f"login-failures:addr:{_client_address(request)}"]


def login_is_throttled(request, username: str) -> bool:
    limit = settings.LOGIN_FAILURE_LIMIT
    return any((cache.get(key) or 0) >= limit for key in _failure_keys(request, username))


def login_failure_record(request, username: str) -> None:
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    for key in _failure_keys(request, username):
        cache.add(key, 0, timeout=window)
        cache.incr(key)


def login_failures_clear(request, username: str) -> None:
    cache.delete_many(_failure_keys(request, username))


class ThrottledAuthenticationForm(auth_forms.AuthenticationForm):
    """Django's log-in form, refusing further attempts for a while after repeated failures.

    Counted per user name and per client address in the shared cache (Redis), so the
    limit holds across every web process.
    """

    error_messages = {
        "invalid_login": _(
            "Fel användarnamn eller lösenord. Observera att båda fälten skiljer på stora "
            "och små bokstäver."
        ),
        "inactive": _("Kontot är inte aktivt."),
        "throttled": _(
            "För många misslyckade inloggningsförsök. Vänta %(minutes)s minuter och försök igen."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if username and login_is_throttled(self.request, username):
            raise ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": max(1, settings.LOGIN_FAILURE_WINDOW_SECONDS // 60)},
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            if username:
                login_failure_record(self.request, username)
            raise
        login_failures_clear(self.request, username)
        return cleaned


class QueuedPasswordResetForm(auth_forms.PasswordResetForm):
    """Password reset whose e-mail is sent by a Celery worker, so a slow mail server
    never holds up the page."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email,
                  to_email, html_email_template_name=None):
        from django.template import loader

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        enqueue_on_commit(send_email, subject=subject, body=body, to=[to_email])
