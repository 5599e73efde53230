"""Log-in throttling (django-axes, samverkan.auth): per user name *and* address, on every
way in, with at most LOGIN_FAILURE_LIMIT passwords checked however many arrive at once."""

import threading

import pytest
from axes.models import AccessAttempt
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from samverkan import auth
from tests.conftest import PASSWORD
from tests.factories import UserFactory

THROTTLED = "För många misslyckade inloggningsförsök"


def _login(client, username, password, address="192.0.2.10"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def _admin_login(client, username, password, address="192.0.2.10"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )


@pytest.mark.django_db
@override_settings(LOGIN_FAILURE_LIMIT=3, LOGIN_FAILURE_WINDOW_SECONDS=600)
def test_the_pause_is_reached_at_the_limit_and_says_how_long_to_wait_in_swedish(client, kansli):
    for _ in range(2):
        response = _login(client, "kansli", "fel")
        assert response.status_code == 200
        assert "Fel användarnamn eller lösenord" in response.content.decode()
    response = _login(client, "kansli", "fel")
    assert response.status_code == 429
    assert f"{THROTTLED}. Vänta 10 minuter och försök igen." in response.content.decode()


@pytest.mark.django_db
@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_failures_from_one_address_do_not_stop_the_user_logging_in_from_another(kansli):
    # The lock is on the user name together with the address: someone elsewhere who
    # knows a user name can slow themselves down, not lock its owner out.
    attacker, owner = Client(), Client()
    for _ in range(5):
        _login(attacker, "kansli", "fel", address="198.51.100.7")
    assert _login(attacker, "kansli", PASSWORD, address="198.51.100.7").status_code == 429
    response = _login(owner, "kansli", PASSWORD, address="192.0.2.10")
    assert response.status_code == 302
    assert owner.session["_auth_user_id"] == str(kansli.pk)


@pytest.mark.django_db
@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_a_successful_login_does_not_reset_the_count_of_other_user_names_or_addresses(
    client, kansli
):
    UserFactory(username="angripare")
    _login(client, "kansli", "fel")
    _login(client, "kansli", "fel", address="203.0.113.5")
    # Logging in to one's own account from the same address, between guesses at
    # another's, used to clear the address's count (12 failures in one window).
    assert _login(client, "angripare", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    _login(client, "kansli", "fel")
    _login(client, "kansli", "fel", address="203.0.113.5")
    assert _login(client, "kansli", "fel").status_code == 429
    assert _login(client, "kansli", PASSWORD).status_code == 429
    assert _login(client, "kansli", "fel", address="203.0.113.5").status_code == 429


@pytest.mark.django_db
@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_a_throttled_user_cannot_log_in_through_the_admin(client):
    UserFactory(username="it.admin", is_staff=True, is_superuser=True)
    for _ in range(3):
        _login(client, "it.admin", "fel")
    response = _admin_login(client, "it.admin", PASSWORD)
    assert response.status_code == 429
    assert THROTTLED in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index")).status_code == 302


@pytest.mark.django_db
@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_failures_at_the_admin_log_in_count_towards_the_same_pause(client, kansli):
    for _ in range(3):
        _admin_login(client, "kansli", "fel")
    assert _login(client, "kansli", PASSWORD).status_code == 429


@pytest.mark.django_db
@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_attempts_refused_during_the_pause_are_not_counted_as_failures(client, kansli):
    for _ in range(6):
        _login(client, "kansli", "fel")
    assert AccessAttempt.objects.get(username="kansli").failures_since_start == 3


@pytest.mark.django_db(transaction=True)
@override_settings(
    LOGIN_FAILURE_LIMIT=5, PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
)
def test_ten_parallel_attempts_have_at_most_the_limit_of_passwords_checked(monkeypatch):
    # A real (slow) hash, so that every attempt is under way while the others are checked.
    UserFactory(username="kansli")
    checked = []
    original = auth.PortalModelBackend.authenticate

    def counting(self, request, username=None, password=None, **kwargs):
        checked.append(username)
        return original(self, request, username=username, password=password, **kwargs)

    monkeypatch.setattr(auth.PortalModelBackend, "authenticate", counting)
    start = threading.Barrier(10)
    statuses = []

    def attempt():
        try:
            client = Client()
            start.wait()
            statuses.append(_login(client, "kansli", "fel").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(statuses) == 10
    assert len(checked) <= 5
    assert AccessAttempt.objects.get(username="kansli").failures_since_start == len(checked)
    assert statuses.count(429) >= 5


@pytest.mark.django_db
@override_settings(LOGIN_FAILURE_LIMIT=2, TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_each_client_is_counted_by_its_own_address(client, kansli):
    # Every request comes from the proxy (REMOTE_ADDR); the client is what it forwarded.
    def through_proxy(forwarded):
        return client.post(
            reverse("login"),
            {"username": "kansli", "password": "fel"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    assert through_proxy("192.0.2.66").status_code == 200
    assert through_proxy("192.0.2.66").status_code == 429
    # Another client behind the same proxy is not paused, even when it claims the
    # first one's address to the left of what the proxy wrote.
    assert through_proxy("192.0.2.66, 198.51.100.7").status_code == 200
    response = client.post(
        reverse("login"),
        {"username": "kansli", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.8",
    )
    assert response.status_code == 302
