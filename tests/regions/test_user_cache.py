"""Users and their object permissions come from the cache between requests, and every
change of them is seen on the next one (regions.user_cache)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from guardian.shortcuts import assign_perm, remove_perm

from regions.models import RoleGroup, User
from regions.selectors import permissions_for_user
from regions.services import role_grant

pytestmark = pytest.mark.django_db


def _fresh(user) -> User:
    # A new request loads the user again; what it knew of permissions goes with it.
    return User.objects.get(pk=user.pk)


def test_permissions_are_loaded_once_and_then_read_from_the_cache(kansli, mellansverige):
    assert permissions_for_user(_fresh(kansli)).has_healthcare_region_perm(
        "manage_plans", mellansverige.pk
    )
    user = _fresh(kansli)
    with CaptureQueriesContext(connection) as queries:
        assert permissions_for_user(user).has_healthcare_region_perm(
            "manage_plans", mellansverige.pk
        )
    assert len(queries) == 0


def test_a_group_joined_or_left_changes_the_permissions_at_once(plain_user, kansli, mellansverige):
    assert not permissions_for_user(_fresh(plain_user)).healthcare_regions
    group = RoleGroup.objects.get(role=RoleGroup.Role.KANSLI, healthcare_region=mellansverige).group
    plain_user.groups.add(group)
    assert permissions_for_user(_fresh(plain_user)).has_healthcare_region_perm(
        "manage_plans", mellansverige.pk
    )
    group.user_set.remove(plain_user)
    assert not permissions_for_user(_fresh(plain_user)).healthcare_regions


def test_a_permission_given_to_or_taken_from_a_user_shows_at_once(plain_user, mellansverige):
    assert not permissions_for_user(_fresh(plain_user)).healthcare_regions
    assign_perm("regions.view_internal", plain_user, mellansverige)
    assert permissions_for_user(_fresh(plain_user)).has_healthcare_region_perm(
        "view_internal", mellansverige.pk
    )
    remove_perm("regions.view_internal", plain_user, mellansverige)
    assert not permissions_for_user(_fresh(plain_user)).healthcare_regions


def test_superuser_and_active_status_come_from_the_user_not_the_cache(plain_user, mellansverige):
    role_grant(user=plain_user, role=RoleGroup.Role.KANSLI, scope=mellansverige)
    assert permissions_for_user(_fresh(plain_user)).healthcare_regions
    User.objects.filter(pk=plain_user.pk).update(is_active=False)
    assert not permissions_for_user(_fresh(plain_user)).healthcare_regions
    User.objects.filter(pk=plain_user.pk).update(is_active=True, is_superuser=True)
    assert permissions_for_user(_fresh(plain_user)).is_superuser


def _signed_in_page(client):
    return client.get(reverse("regions:healthcare_region", kwargs={"hr": "mellansverige"}))


def test_a_signed_in_request_reads_its_user_from_the_cache(client, plain_user, mellansverige):
    client.force_login(plain_user)
    _signed_in_page(client)
    with CaptureQueriesContext(connection) as queries:
        _signed_in_page(client)
    assert not [q for q in queries if 'FROM "regions_user"' in q["sql"]]


def test_a_new_password_logs_out_the_other_sessions_at_once(client, plain_user, mellansverige):
    client.force_login(plain_user)
    assert _signed_in_page(client).wsgi_request.user.is_authenticated
    plain_user.set_password("ett helt nytt lösenord")
    plain_user.save()
    assert not _signed_in_page(client).wsgi_request.user.is_authenticated


def test_a_deactivated_user_is_signed_out_at_once(client, plain_user, mellansverige):
    client.force_login(plain_user)
    assert _signed_in_page(client).wsgi_request.user.is_authenticated
    plain_user.is_active = False
    plain_user.save()
    assert not _signed_in_page(client).wsgi_request.user.is_authenticated


def test_a_new_name_shows_at_once(client, plain_user, mellansverige):
    client.force_login(plain_user)
    _signed_in_page(client)
    plain_user.first_name, plain_user.last_name = "Greta", "Gran"
    plain_user.save()
    assert "Inloggad som Greta Gran" in _signed_in_page(client).content.decode()
