from regions.selectors import can_view_internal, healthcare_regions_for_user


def portal(request):
    """The sjukvårdsregion being browsed (set by its views), the user's own ones for the
    switcher, and whether the user sees its internal pages (the Historik link)."""
    current = getattr(request, "healthcare_region", None)
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "current_healthcare_region": current,
        "my_healthcare_regions": healthcare_regions_for_user(user) if signed_in else [],
        "current_can_view_internal": bool(signed_in and current and can_view_internal(user, current)),
    }
