import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from regions.models import HealthcareRegion, Membership, Region, RoleGroup, User
from regions.selectors import permissions_for_user
from tests.conftest import PASSWORD
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_a_user_logs_in_and_out_with_swedish_pages(client, kansli):
    page = client.get(reverse("login")).content.decode()
    assert 'lang="sv"' in page and "Användarnamn" in page and "Lösenord" in page
    assert _login(client, "kansli", PASSWORD).status_code == 302
    assert client.get("/").context["user"].is_authenticated
    client.post(reverse("logout"))
    assert not client.get("/").context["user"].is_authenticated


def test_a_wrong_password_gets_a_swedish_message(client, kansli):
    response = _login(client, "kansli", "fel")
    assert response.status_code == 200
    assert "Fel användarnamn eller lösenord" in response.content.decode()


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_repeated_failed_logins_pause_further_attempts(client, kansli):
    for _ in range(3):
        _login(client, "kansli", "fel")
    response = _login(client, "kansli", PASSWORD)
    assert response.status_code == 429
    assert "För många misslyckade inloggningsförsök" in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_a_successful_login_resets_the_failure_count_of_its_own_user_name_and_address(
    client, kansli
):
    for _ in range(2):
        _login(client, "kansli", "fel")
    assert _login(client, "kansli", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(2):
        _login(client, "kansli", "fel")
    assert _login(client, "kansli", PASSWORD).status_code == 302


@override_settings(DEMO_LOGINS_ENABLED=False)
def test_demo_accounts_are_refused_outside_demo_mode(client):
    UserFactory(username="demo.kansli", is_demo=True)
    response = _login(client, "demo.kansli", PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@override_settings(DEMO_LOGINS_ENABLED=True)
def test_demo_accounts_may_log_in_in_demo_mode(client):
    UserFactory(username="demo.kansli", is_demo=True)
    assert _login(client, "demo.kansli", PASSWORD).status_code == 302


def test_the_role_command_grants_and_revokes_a_role(mellansverige):
    user = UserFactory(username="anna")
    call_command("role", "grant", "anna", "kansli", "--healthcare-region", "mellansverige")
    assert permissions_for_user(User.objects.get(pk=user.pk)).has_healthcare_region_perm(
        "manage_governance", mellansverige.pk
    )
    call_command("role", "revoke", "anna", "kansli", "--healthcare-region", "mellansverige")
    assert not permissions_for_user(User.objects.get(pk=user.pk)).has_healthcare_region_perm(
        "manage_governance", mellansverige.pk
    )


def test_the_role_command_grants_a_price_contact_by_lanskod(dalarna):
    user = UserFactory(username="olle")
    call_command("role", "grant", "olle", "priskontakt", "--region", "20")
    assert permissions_for_user(User.objects.get(pk=user.pk)).has_region_perm(
        "submit_prices", dalarna.pk
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["grant", "ingen", "kansli", "--healthcare-region", "mellansverige"], "ingen användare"),
        (["grant", "anna", "kansli", "--healthcare-region", "atlantis"], "Okänd sjukvårdsregion"),
        (["grant", "anna", "kansli"], "--healthcare-region"),
        (["grant", "anna", "priskontakt", "--region", "99"], "länskod"),
        (["grant", "anna", "priskontakt", "--healthcare-region", "mellansverige"], "--region"),
    ],
)
def test_the_role_command_explains_bad_arguments(mellansverige, args, message):
    UserFactory(username="anna")
    with pytest.raises(CommandError, match=message):
        call_command("role", *args)


def test_the_demo_data_has_the_seeds_regions_bodies_and_a_user_per_role():
    call_command("load_demo", verbosity=0)
    assert HealthcareRegion.objects.count() == 6
    assert Region.objects.count() == 21
    halland = Region.objects.get(scb_code="13")
    assert halland.healthcare_region.slug == "sodra"
    assert halland.cooperates_with.slug == "vastra"
    assert Region.objects.filter(healthcare_region__slug="mellansverige").count() == 7
    board = HealthcareRegion.objects.get(slug="mellansverige").bodies.get(name="Samverkansnämnden")
    for region in Region.objects.filter(healthcare_region__slug="mellansverige"):
        current = Membership.objects.filter(
            body=board, region=region, ends_on__gte="2026-11-23", starts_on__lte="2026-11-23"
        )
        seated = current.filter(role__in=["ledamot", "ordforande", "vice_ordforande"]).count()
        assert (seated, current.filter(role="ersattare").count()) == (3, 3), region
    assert set(User.objects.filter(is_demo=True).values_list("username", flat=True)) >= {
        "kansli",
        "namnd",
        "gruppledare",
        "pris.dalarna",
        "admin",
    }
    roles = set(RoleGroup.objects.filter(group__user__is_demo=True).values_list("role", flat=True))
    assert roles == {r.value for r in RoleGroup.Role}
    # Loading twice changes nothing.
    call_command("load_demo", verbosity=0)
    assert Membership.objects.filter(body=board).count() == board.memberships.count()
    assert User.objects.filter(is_demo=True).count() == 9
