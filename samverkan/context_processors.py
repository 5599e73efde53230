from regions.selectors import healthcare_regions_for_user


def portal(request):
    """The sjukvårdsregion being browsed (from the URL) and the user's own ones for the switcher."""
    current = getattr(request, "healthcare_region", None)
    user = getattr(request, "user", None)
    mine = healthcare_regions_for_user(user) if user is not None and user.is_authenticated else []
    return {"current_healthcare_region": current, "my_healthcare_regions": mine}
