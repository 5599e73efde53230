"""The reminder before the deadline goes to the price contacts of regions that have not submitted."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.storage import default_storage
from django.utils import timezone

from pricing import services
from pricing.models import PriceSubmission
from pricing.tasks import pending_submissions_remove, price_collection_reminders
from tests.pricing.factories import csv_bytes, line
from tests.pricing.test_services import ROW

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


def _stage_upload(user, price_list, region):
    submission, _lines = services.price_submission_stage(
        actor=user,
        price_list=price_list,
        region=region,
        filename="priser.csv",
        data=csv_bytes(ROW.format(price="2 850")),
    )
    return submission


def test_uploads_never_confirmed_are_removed_with_their_files_after_the_set_hours(
    open_list, dalarna, price_contact_dalarna, settings, django_capture_on_commit_callbacks
):
    settings.PENDING_SUBMISSION_HOURS = 24
    abandoned = _stage_upload(price_contact_dalarna, open_list, dalarna)
    recent = _stage_upload(price_contact_dalarna, open_list, dalarna)
    confirmed = _stage_upload(price_contact_dalarna, open_list, dalarna)
    services.price_submission_confirm(actor=price_contact_dalarna, submission=confirmed)
    long_ago = timezone.now() - datetime.timedelta(hours=25)
    PriceSubmission.objects.filter(pk__in=[abandoned.pk, confirmed.pk]).update(created_at=long_ago)
    assert default_storage.exists(abandoned.file.name)

    with django_capture_on_commit_callbacks(execute=True):
        assert pending_submissions_remove() == 1

    assert not PriceSubmission.objects.filter(pk=abandoned.pk).exists()
    assert not default_storage.exists(abandoned.file.name)
    assert PriceSubmission.objects.filter(pk=recent.pk).exists()  # within the set hours
    assert default_storage.exists(recent.file.name)
    assert PriceSubmission.objects.get(pk=confirmed.pk).status == PriceSubmission.Status.CURRENT
    assert default_storage.exists(confirmed.file.name)


def test_beat_runs_the_removal_of_unconfirmed_uploads_as_a_registered_task():
    from samverkan.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["pricing-pending-submissions-remove"]
    app.loader.import_default_modules()
    assert app.tasks[entry["task"]].name == pending_submissions_remove.name
