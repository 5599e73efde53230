"""Response headers the portal sets on every page: private caching for signed-in
users, and the Content-Security-Policy on error pages in DEBUG too."""

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.utils.cache import patch_cache_control

# Pages that must never be kept by a browser or proxy even for an anonymous visitor:
# the log-in form (its CSRF token, the user name typed).
_PRIVATE_VIEWS = {"login", "admin:login"}


class PrivatePagesMiddleware:
    """`Cache-Control: private, no-store` on every response to a signed-in user and on
    the log-in pages, so neither a shared proxy nor the browser's back button after
    logging out shows a draft or an internal page.

    Anonymous pages are left as they are: the shared page cache (plans.cache) is kept
    on the server and sets no HTTP caching headers of its own.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        match = request.resolver_match
        if (user is not None and user.is_authenticated) or (
            match is not None and match.view_name in _PRIVATE_VIEWS
        ):
            patch_cache_control(response, private=True, no_store=True)
        return response


class PortalCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the policy on 404 and 500 responses in DEBUG too.

    django-csp leaves them without the header when DEBUG is on, so that Django's
    technical error pages (inline style and script) render fully. A developer would then
    never see the portal's own error pages under the policy they have in production;
    the technical pages still read, unstyled.
    """

    def process_response(self, request, response):
        status = response.status_code
        if not (settings.DEBUG and status in (404, 500)):
            return super().process_response(request, response)
        # The exemption is keyed on the status alone; the policy does not depend on it.
        response.status_code = 200
        try:
            return super().process_response(request, response)
        finally:
            response.status_code = status
