"""Headers on every page: private caching for signed-in users, the CSP on DEBUG error
pages, and the Swedish CSRF failure page."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_every_page_of_a_signed_in_user_is_private_and_not_stored(client, kansli, mellansverige):
    client.force_login(kansli)
    for url in (
        "/",
        reverse("regions:healthcare_region", kwargs={"hr": "mellansverige"}),
        reverse("admin:index"),
    ):
        response = client.get(url)
        assert {"private", "no-store"} <= _cache_control(response), url


def test_the_response_that_logs_a_user_in_is_private_and_not_stored(client, kansli):
    response = client.post(reverse("login"), {"username": "kansli", "password": PASSWORD})
    assert response.status_code == 302
    assert {"private", "no-store"} <= _cache_control(response)


def test_the_log_in_pages_are_private_and_not_stored_for_anonymous_visitors(client):
    for url in (reverse("login"), reverse("admin:login")):
        assert {"private", "no-store"} <= _cache_control(client.get(url)), url


def test_public_pages_for_anonymous_visitors_are_left_cacheable(client, mellansverige):
    response = client.get(reverse("regions:healthcare_region", kwargs={"hr": "mellansverige"}))
    assert response.status_code == 200
    assert "no-store" not in _cache_control(response)


def test_a_failed_csrf_check_answers_403_with_a_swedish_page():
    response = Client(enforce_csrf_checks=True).post(
        reverse("login"), {"username": "kansli", "password": PASSWORD}
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert '<html lang="sv">' in page
    assert "Formuläret kunde inte skickas" in page


@override_settings(DEBUG=True)
def test_a_404_carries_the_content_security_policy_in_debug_mode_too(client):
    response = client.get("/finns-inte/alls/")
    assert response.status_code == 404
    assert "default-src 'self'" in response["Content-Security-Policy"]
