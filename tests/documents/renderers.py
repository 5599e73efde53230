"""Renderers for the document pipeline's tests, registered in the test process and its worker
(settings_test.DOCUMENT_RENDERER_MODULES). Their subject is any user."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template import Template

from documents.registry import html_to_pdf, register_renderer


def _access(user, subject, *, change=False):
    if not user.is_authenticated:
        raise Http404
    if change and user.pk != subject.pk:
        raise PermissionDenied


def _plain(subject):
    html = (
        f'<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Prov för '
        f"{subject.username}</title></head><body><h1>Prov</h1><p>{subject.first_name}</p>"
        f"</body></html>"
    )
    return f"prov-{subject.pk}.pdf", html_to_pdf(html)


def _broken(subject):
    Template("{% if %}")  # a template with a syntax error
    raise AssertionError("unreachable")


_FLAKY_FAILURES = {}


def _flaky(subject):
    # Fails with OSError the first time per user, as a full disk or lost NFS mount would.
    if not _FLAKY_FAILURES.get(subject.pk):
        _FLAKY_FAILURES[subject.pk] = True
        raise OSError("Tillfälligt lagringsfel")
    return _plain(subject)


register_renderer("test.plain", _plain, access=_access)
register_renderer("test.broken", _broken, access=_access)
register_renderer("test.flaky", _flaky, access=_access)
