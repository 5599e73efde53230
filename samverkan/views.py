"""Pages that belong to the portal as a whole: start, accessibility statement, errors."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.addresses import client_address
from core.mail import send_email
from core.queueing import enqueue_on_commit
from core.ratelimit import rate_limit_hit
from regions.selectors import healthcare_regions_for_user, healthcare_regions_with_regions
from samverkan.forms import AccessibilityReportForm


def start(request):
    mine = healthcare_regions_for_user(request.user) if request.user.is_authenticated else []
    return render(
        request,
        "samverkan/start.html",
        {
            "healthcare_regions": healthcare_regions_with_regions(),
            "mine": mine,
        },
    )


def accessibility_statement(request):
    form = AccessibilityReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # The form sends e-mail to a fixed address for anyone, signed in or not.
        if not rate_limit_hit(
            f"accessibility-report:{client_address(request)}",
            limit=settings.ACCESSIBILITY_REPORTS_PER_HOUR,
            window_seconds=60 * 60,
        ):
            form.add_error(
                None,
                _(
                    "Du har skickat många rapporter på kort tid, så den här har inte skickats. "
                    "Försök igen om en timme, eller skriv till %(email)s."
                )
                % {"email": settings.ACCESSIBILITY_CONTACT_EMAIL},
            )
            return render(request, "samverkan/accessibility.html", {"form": form}, status=429)
        data = form.cleaned_data
        body = _("Sida: %(page)s\nKontakt: %(email)s\n\n%(description)s") % {
            "page": data["page"] or "–",
            "email": data["email"] or "–",
            "description": data["description"],
        }
        enqueue_on_commit(
            send_email,
            subject=_("Tillgänglighetsproblem rapporterat i Samverkansportalen"),
            body=body,
            to=[settings.ACCESSIBILITY_CONTACT_EMAIL],
            reply_to=[data["email"]] if data["email"] else None,
        )
        messages.success(
            request,
            _(
                "Tack! Vi har tagit emot din rapport och återkommer om du "
                "har lämnat din e-postadress."
            ),
        )
        return redirect("accessibility")
    return render(request, "samverkan/accessibility.html", {"form": form})


def not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def forbidden(request, exception=None):
    return render(request, "errors/403.html", status=403)


def server_error(request):
    return render(request, "errors/500.html", status=500)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: Django's own page is in English; this one says in Swedish
    what to do (the reason is for the log, not the visitor)."""
    return render(request, "errors/csrf.html", status=403)
