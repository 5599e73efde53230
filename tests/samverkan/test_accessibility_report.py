"""A report from the accessibility statement reaches the contact address through the worker."""

import pytest
from django.conf import settings
from django.test import override_settings

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/tillganglighet/"


def test_an_accessibility_report_is_mailed_to_the_contact_address(client, celery_worker):
    response = client.post(
        URL,
        {
            "page": "/mellansverige/",
            "description": "Menyn går inte att nå med tangentbordet.",
            "email": "besokare@example.org",
        },
    )

    assert response.status_code == 302
    [mail] = celery_worker.wait_for_mail(1)
    assert mail["To"] == settings.ACCESSIBILITY_CONTACT_EMAIL
    assert mail["Reply-To"] == "besokare@example.org"
    assert mail["Subject"].strip() == "Tillgänglighetsproblem rapporterat i Samverkansportalen"
    body = mail.get_content()
    assert "Menyn går inte att nå med tangentbordet." in body
    assert "/mellansverige/" in body


def test_a_report_without_a_description_is_refused_and_nothing_is_sent(client, celery_worker):
    response = client.post(URL, {"page": "/", "description": "", "email": "besokare@example.org"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Beskriv vad som inte fungerar." in page
    assert 'value="besokare@example.org"' in page
    celery_worker.wait_until_idle()
    assert celery_worker.mails() == []


@override_settings(ACCESSIBILITY_REPORTS_PER_HOUR=2)
def test_reports_from_one_address_beyond_the_hourly_limit_are_refused_and_not_sent(
    client, celery_worker
):
    report = {"page": "/", "description": "Kontrasten är för låg.", "email": ""}
    for _ in range(2):
        assert client.post(URL, report, REMOTE_ADDR="192.0.2.10").status_code == 302
    response = client.post(URL, report, REMOTE_ADDR="192.0.2.10")

    assert response.status_code == 429
    page = response.content.decode()
    assert "Du har skickat många rapporter på kort tid" in page
    assert "Kontrasten är för låg." in page
    assert client.post(URL, report, REMOTE_ADDR="198.51.100.7").status_code == 302
    assert len(celery_worker.wait_for_mail(3)) == 3
    celery_worker.wait_until_idle()
    assert len(celery_worker.mails()) == 3
