"""A password reset e-mail is sent by the Celery worker, and only to existing accounts."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_worker_sends_the_reset_link_to_an_existing_user(client, celery_worker):
    UserFactory(username="anna", email="anna@example.org")

    response = client.post(reverse("password_reset"), {"email": "anna@example.org"})

    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    [mail] = celery_worker.wait_for_mail(1)
    assert mail["To"] == "anna@example.org"
    assert mail["Subject"].strip() == "Nytt lösenord till Samverkansportalen"
    body = mail.get_content()
    assert "bett om ett nytt lösenord" in body
    assert "Ditt användarnamn är anna." in body
    assert "http://testserver/konto/aterstall/" in body
    link = next(line for line in body.splitlines() if "/konto/aterstall/" in line).strip()
    assert client.get(link, follow=True).status_code == 200


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, celery_worker):
    UserFactory(username="anna", email="anna@example.org")

    unknown = client.post(reverse("password_reset"), {"email": "okand@example.org"})
    known = client.post(reverse("password_reset"), {"email": "anna@example.org"})

    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    celery_worker.wait_until_idle()
    assert [mail["To"] for mail in celery_worker.mails()] == ["anna@example.org"]
