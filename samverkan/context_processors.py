from core import shared_pages
from regions.selectors import can_view_internal, healthcare_regions_for_user


def portal(request):
    """The sjukvårdsregion being browsed (set by its views), the user's own ones for the
    switcher, whether the user sees its internal pages (the Historik link), and the name
    shown in the header."""
    current = getattr(request, "healthcare_region", None)
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    context = {
        "current_healthcare_region": current,
        "my_healthcare_regions": healthcare_regions_for_user(user) if signed_in else [],
        "current_can_view_internal": bool(
            signed_in and current and can_view_internal(user, current)
        ),
        "user_name": user,
    }
    if shared_pages.is_shared_render(request):
        # Filled in per reader by shared_pages.personalise; this overrides the token of
        # Django's built-in csrf context processor, which runs first.
        context["user_name"] = shared_pages.user_name_marker()
        context["csrf_token"] = shared_pages.csrf_token_marker()
    return context
