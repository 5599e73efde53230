"""The portal's roles and the object permissions each one carries.

A role is held in one sjukvårdsregion (kansli, nämnd member, group lead) or in one
region (price contact). Each (role, scope) pair is one auth group whose guardian
object permissions are listed here; granting a role is adding the user to it.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from regions import permissions
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
                permissions.VIEW_INTERNAL,
                permissions.MANAGE_GOVERNANCE,
                permissions.MANAGE_PLANS,
                permissions.WRITE_FOLLOW_UP,
                permissions.MANAGE_PRICE_LISTS,
            ),
            _(
                "Skapar och redigerar planer, återrapporter, sammanträden och beslut; "
                "öppnar och stänger prisinsamlingen."
            ),
        ),
        RoleSpec(
            RoleGroup.Role.BOARD_MEMBER,
            HEALTHCARE_REGION,
            (permissions.VIEW_INTERNAL, permissions.COMMENT_REPORTS),
            _(
                "Läser allt i sin sjukvårdsregion, även utkast på remiss; kommenterar återrapporter."
            ),
        ),
        RoleSpec(
            RoleGroup.Role.GROUP_LEAD,
            HEALTHCARE_REGION,
            (permissions.WRITE_FOLLOW_UP,),
            _("Skriver uppföljningen av de aktiviteter som den egna gruppen ansvarar för."),
        ),
        RoleSpec(
            RoleGroup.Role.PRICE_CONTACT,
            REGION,
            (permissions.SUBMIT_PRICES,),
            _("Laddar upp, förhandsgranskar och ersätter sin regions prisuppgifter."),
        ),
    ]
}
