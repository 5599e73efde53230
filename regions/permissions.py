"""The portal's object permissions: their codenames, used by every access helper, and
their descriptions. Each is granted on one sjukvårdsregion or one region through a
role's group (regions.roles)."""

from django.utils.translation import gettext_lazy as _

# On a HealthcareRegion
VIEW_INTERNAL = "view_internal"
MANAGE_GOVERNANCE = "manage_governance"
MANAGE_PLANS = "manage_plans"
COMMENT_REPORTS = "comment_reports"
WRITE_FOLLOW_UP = "write_follow_up"
MANAGE_PRICE_LISTS = "manage_price_lists"
# On a Region
SUBMIT_PRICES = "submit_prices"

HEALTHCARE_REGION_PERMISSIONS = [
    (VIEW_INTERNAL, _("Kan läsa utkast och interna handlingar")),
    (MANAGE_GOVERNANCE, _("Kan redigera organ, ledamöter, sammanträden och beslut")),
    (MANAGE_PLANS, _("Kan redigera planer och återrapporter")),
    (COMMENT_REPORTS, _("Kan kommentera återrapporter")),
    (WRITE_FOLLOW_UP, _("Kan skriva uppföljning för sina gruppers aktiviteter")),
    (MANAGE_PRICE_LISTS, _("Kan öppna, stänga och sammanställa prislistor")),
]
REGION_PERMISSIONS = [
    (SUBMIT_PRICES, _("Kan lämna in prisuppgifter för regionen")),
]
