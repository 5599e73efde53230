"""Load the demo data: the seeds' regions, bodies, people and meetings, and one user per role.

Demo users have the password "demo" and are marked as demo accounts: they can only
log in while DEMO_LOGINS_ENABLED is on, which settings allow only with DEBUG.
"""

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand
from django.db import transaction

from regions import services
from regions.models import HealthcareRegion, Person, Region, RoleGroup, User

DEMO_PASSWORD = "demo"
R = RoleGroup.Role

# username, first, last, [(role, healthcare region slug or region länskod)], staff
DEMO_USERS = [
    ("kansli", "Kim", "Kanslisson", [(R.KANSLI, "mellansverige")], False),
    ("kansli.sodra", "Saga", "Sydkansli", [(R.KANSLI, "sodra")], False),
    ("kansli.sydostra", "Sam", "Östkansli", [(R.KANSLI, "sydostra")], False),
    ("namnd", "Nora", "Nämndesson", [(R.BOARD_MEMBER, "mellansverige")], False),
    ("gruppledare", "Greta", "Gruppledarsson", [(R.GROUP_LEAD, "mellansverige")], False),
    ("pris.dalarna", "Pia", "Prisdotter", [(R.PRICE_CONTACT, "20")], False),
    ("pris.uppsala", "Paul", "Prissson", [(R.PRICE_CONTACT, "03")], False),
    ("flera", "Frida", "Flerroll", [(R.KANSLI, "mellansverige"), (R.BOARD_MEMBER, "sodra")], False),
    ("admin", "Ada", "Administratör", [], True),
]


class Command(BaseCommand):
    help = "Läser in demodata från fixtures/ och skapar en demoanvändare per roll."

    def handle(self, *args, **options):
        call_command(
            "loaddata",
            "regions.yaml",
            "governance.yaml",
            "knowledge.yaml",
            "plans.yaml",
            verbosity=0,
        )
        with transaction.atomic():
            for username, first, last, roles, staff in DEMO_USERS:
                user, _ = User.objects.update_or_create(
                    username=username,
                    defaults={
                        "first_name": first,
                        "last_name": last,
                        "is_demo": True,
                        "is_staff": staff,
                        "is_superuser": staff,
                        "email": f"{username}@example.org",
                    },
                )
                user.set_password(DEMO_PASSWORD)
                user.save()
                for role, scope_key in roles:
                    scope = (
                        Region.objects.get(scb_code=scope_key)
                        if scope_key.isdigit()
                        else HealthcareRegion.objects.get(slug=scope_key)
                    )
                    services.role_grant(
                        user=user, role=role, scope=scope, via="manage.py load_demo"
                    )
            # The demo nämnd member is one of the fixture's ledamöter.
            namnd = User.objects.get(username="namnd")
            Person.objects.filter(user=namnd).update(user=None)
            Person.objects.filter(pk=2).update(user=namnd)
            # ... and the demo group lead is processledare of RSG Uppföljning och analys
            # in Mellansverige (fixtures/knowledge.yaml).
            lead = User.objects.get(username="gruppledare")
            Person.objects.filter(user=lead).update(user=None)
            Person.objects.filter(pk=9001).update(user=lead)
        # Apps that build their demo data in code (price lists through the real import,
        # say) provide a command named load_demo_<app>; regions does not import them.
        for name in sorted(get_commands()):
            if name.startswith("load_demo_"):
                call_command(name, verbosity=options["verbosity"])
        self.stdout.write(self.style.SUCCESS("Demodata inläst."))
        for username, _first, _last, roles, _staff in DEMO_USERS:
            what = ", ".join(f"{RoleGroup.Role(role).label} ({scope})" for role, scope in roles)
            self.stdout.write(f"  {username:<16} {what or 'administratör (Django admin)'}")
        self.stdout.write(f"Lösenord för alla demokonton: {DEMO_PASSWORD}")
