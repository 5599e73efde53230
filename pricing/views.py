from django.shortcuts import render

from regions.selectors import healthcare_region_get


def section(request, hr):
    """The section's start page for one sjukvårdsregion."""
    healthcare_region = healthcare_region_get(hr)
    request.healthcare_region = healthcare_region
    return render(request, "pricing/section.html", {"healthcare_region": healthcare_region})
