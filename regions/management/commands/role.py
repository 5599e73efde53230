"""Grant, revoke or list a user's roles in a sjukvårdsregion or region.

manage.py role grant  anna kansli --healthcare-region mellansverige
manage.py role grant  olle priskontakt --region 20
manage.py role revoke anna kansli --healthcare-region mellansverige
manage.py role list   anna
"""

from django.core.management.base import BaseCommand, CommandError

from regions import services
from regions.models import HealthcareRegion, Region, RoleGroup, User
from regions.roles import HEALTHCARE_REGION, ROLE_SPECS

# Who granted a role from the shell: the audit record says how (the operator is not known).
VIA = "manage.py role"


class Command(BaseCommand):
    help = "Ger, tar bort eller listar en användares roller per sjukvårdsregion eller region."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["grant", "revoke", "list"])
        parser.add_argument("username")
        parser.add_argument("role", nargs="?", choices=[r.value for r in RoleGroup.Role])
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument(
            "--healthcare-region", help="sjukvårdsregionens kortnamn, t.ex. mellansverige"
        )
        scope.add_argument("--region", help="regionens länskod, t.ex. 20 för Region Dalarna")

    def handle(self, *args, action, username, role, healthcare_region, region, **options):
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"Det finns ingen användare som heter {username!r}.") from None
        if action == "list":
            for role_group in RoleGroup.objects.filter(group__user=user).select_related(
                "healthcare_region", "region"
            ):
                self.stdout.write(f"{role_group.role}\t{role_group.scope}")
            return
        if role is None:
            raise CommandError("Ange vilken roll: " + ", ".join(r.value for r in RoleGroup.Role))
        scope = self._scope(role, healthcare_region, region)
        if action == "grant":
            services.role_grant(user=user, role=role, scope=scope, via=VIA)
            self.stdout.write(self.style.SUCCESS(f"{username} är nu {role} i {scope}."))
        elif services.role_revoke(user=user, role=role, scope=scope, via=VIA):
            self.stdout.write(self.style.SUCCESS(f"{username} är inte längre {role} i {scope}."))
        else:
            self.stdout.write(f"{username} hade inte rollen {role} i {scope}.")

    def _scope(self, role, healthcare_region, region):
        if ROLE_SPECS[role].scope == HEALTHCARE_REGION:
            if not healthcare_region:
                raise CommandError(
                    f"Rollen {role} gäller en sjukvårdsregion: ange --healthcare-region."
                )
            try:
                return HealthcareRegion.objects.get(slug=healthcare_region)
            except HealthcareRegion.DoesNotExist:
                slugs = ", ".join(HealthcareRegion.objects.values_list("slug", flat=True))
                raise CommandError(
                    f"Okänd sjukvårdsregion {healthcare_region!r}. Välj bland: {slugs}."
                ) from None
        if not region:
            raise CommandError(f"Rollen {role} gäller en region: ange --region med länskoden.")
        try:
            return Region.objects.get(scb_code=region.zfill(2))
        except Region.DoesNotExist:
            raise CommandError(f"Det finns ingen region med länskod {region!r}.") from None
