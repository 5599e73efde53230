"""Pages rendered once for many users, with the per-user parts filled in per request.

A page kept in a shared cache must not carry one user's name or CSRF token to the
next reader. While a page is rendered for sharing (`render_shared`), the header shows
a marker instead of the user's name, and every CSRF token is a marker too (through
`samverkan.context_processors.portal`); `personalise` puts the reader's own name and
token in their place, on the first response and on every one served from the cache.

The markers are derived from SECRET_KEY, so no text a user writes into a plan can
contain one and be replaced by the reader's token.
"""

from contextlib import contextmanager
from functools import cache

from django.middleware.csrf import get_token
from django.utils.crypto import salted_hmac
from django.utils.html import escape


@cache
def _markers() -> tuple[str, str]:
    # The salt is the module's old name: pages cached before the move keep their markers.
    digest = salted_hmac("samverkan.shared_pages", "markers").hexdigest()
    return f"shared-user-{digest[:24]}", f"shared-csrf-{digest[24:48]}"


@contextmanager
def rendering_shared(request):
    """Render this request's page with markers where the user's name and token go.

    Only inside the block: an error page rendered for an exception that leaves it (404,
    403) is not personalised and must show the user's own name and token.
    """
    request.shared_render = True
    try:
        yield
    finally:
        request.shared_render = False


def is_shared_render(request) -> bool:
    return getattr(request, "shared_render", False)


def user_name_marker() -> str:
    return _markers()[0]


def csrf_token_marker() -> str:
    return _markers()[1]


def personalise(content: bytes, request) -> bytes:
    """The shared page with the reader's name and CSRF token in place of the markers."""
    user_name, csrf = (marker.encode() for marker in _markers())
    if user_name in content:
        content = content.replace(user_name, escape(str(request.user)).encode())
    if csrf in content:
        # get_token() also makes the middleware send the CSRF cookie the token belongs to.
        content = content.replace(csrf, get_token(request).encode())
    return content
