"""The portal's roles and the object permissions each one carries.

A role is held in one sjukvårdsregion (kansli, nämnd member, group lead) or in one
region (price contact). Each (role, scope) pair is one auth group whose guardian
object permissions are listed here; granting a role is adding the user to it.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from regions.models import RoleGroup

HEALTHCARE_REGION = "healthcare_region"
REGION = "region"


@dataclass(frozen=True)
class RoleSpec:
    role: str
    scope: str
    permissions: tuple[str, ...]
    description: str


ROLE_SPECS = {
    spec.role: spec
    for spec in [
        RoleSpec(
            RoleGroup.Role.KANSLI,
            HEALTHCARE_REGION,
            (
                "view_internal",
                "manage_governance",
                "manage_plans",
                "write_follow_up",
                "manage_price_lists",
            ),
            _("Skapar och redigerar planer, återrapporter, sammanträden och beslut; "
              "öppnar och stänger prisinsamlingen."),
        ),
        RoleSpec(
            RoleGroup.Role.BOARD_MEMBER,
            HEALTHCARE_REGION,
            ("view_internal", "comment_reports"),
            _("Läser allt i sin sjukvårdsregion, även utkast på remiss; kommenterar återrapporter."),
        ),
        RoleSpec(
            RoleGroup.Role.GROUP_LEAD,
            HEALTHCARE_REGION,
            ("write_follow_up",),
            _("Skriver uppföljningen av de aktiviteter som den egna gruppen ansvarar för."),
        ),
        RoleSpec(
            RoleGroup.Role.PRICE_CONTACT,
            REGION,
            ("submit_prices",),
            _("Laddar upp, förhandsgranskar och ersätter sin regions prisuppgifter."),
        ),
    ]
}
