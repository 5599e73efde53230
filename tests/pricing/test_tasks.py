"""The reminder before the deadline goes to the price contacts of regions that have not submitted."""

import datetime

import pytest
from django.core import mail

from pricing import services
from pricing.tasks import price_collection_reminders
from tests.pricing.factories import line

pytestmark = pytest.mark.django_db


@pytest.fixture
def collecting(open_list, uppsala, price_contact_uppsala, price_contact_dalarna):
    services.price_lines_submit(
        actor=None, price_list=open_list, region=uppsala, lines=[line("Akademiska sjukhuset")]
    )
    return open_list


def test_a_week_before_the_deadline_only_regions_that_have_not_submitted_are_reminded(
    collecting, price_contact_dalarna
):
    week_before = collecting.deadline - datetime.timedelta(days=7)
    assert price_collection_reminders(today=week_before.isoformat()) == 1
    [message] = mail.outbox
    assert message.to == [price_contact_dalarna.email]
    assert "Region Dalarna" in message.body
    assert "2024-10-31" in message.subject
    assert "/mellansverige/prislistor/2025/20/ladda-upp/" in message.body


def test_the_reminder_is_sent_once_a_day_however_often_beat_runs(collecting):
    week_before = (collecting.deadline - datetime.timedelta(days=7)).isoformat()
    price_collection_reminders(today=week_before)
    price_collection_reminders(today=week_before)
    assert len(mail.outbox) == 1


def test_no_reminder_on_other_days_or_for_closed_lists(collecting):
    assert (
        price_collection_reminders(
            today=(collecting.deadline - datetime.timedelta(days=3)).isoformat()
        )
        == 0
    )
    services.price_list_transition(actor=None, price_list=collecting, state="stangd")
    assert (
        price_collection_reminders(
            today=(collecting.deadline - datetime.timedelta(days=1)).isoformat()
        )
        == 0
    )
    assert mail.outbox == []


def test_an_uprated_draft_the_region_has_not_corrected_still_counts_as_not_submitted(
    decided_list, price_contact_dalarna
):
    new = services.price_list_uprate(
        actor=None, source=decided_list, percent=2, deadline=datetime.date(2025, 3, 1)
    )
    assert new.submissions.count() == 2
    assert price_collection_reminders(today="2025-02-22") == 1
    assert mail.outbox[0].to == [price_contact_dalarna.email]
