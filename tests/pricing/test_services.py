"""Submissions replace a region's lines at once, keep every file, and record history."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from pghistory.models import Events

from pricing import services
from pricing.models import PriceItem, PriceList, PriceSubmission
from tests.pricing.factories import csv_bytes, line

ROW = ";Falu lasarett;Kardiologi;Läkarbesök;LB-KARD;Läkarbesök, kardiologi;besök;{price};"


def _stage(user, price_list, region, *rows):
    return services.price_submission_stage(
        actor=user,
        price_list=price_list,
        region=region,
        filename="priser.csv",
        data=csv_bytes(*rows),
    )


@pytest.mark.django_db
def test_staging_keeps_the_file_with_its_checksum_and_writes_no_lines(
    open_list, dalarna, price_contact_dalarna
):
    submission, lines = _stage(price_contact_dalarna, open_list, dalarna, ROW.format(price="2 850"))
    assert submission.status == PriceSubmission.Status.PENDING
    assert len(submission.sha256) == 64
    assert submission.line_count == 1
    assert submission.file.read().startswith(b"Region;")
    assert not PriceItem.objects.exists()


@pytest.mark.django_db
def test_confirming_replaces_the_earlier_submission_and_history_records_the_change(
    open_list, dalarna, price_contact_dalarna
):
    first, _ = _stage(
        price_contact_dalarna,
        open_list,
        dalarna,
        ROW.format(price="2 850"),
        ";Falu lasarett;;Analys;NPU1;Analys;analys;50;",
    )
    services.price_submission_confirm(actor=price_contact_dalarna, submission=first)
    second, _ = _stage(price_contact_dalarna, open_list, dalarna, ROW.format(price="2 900"))
    services.price_submission_confirm(actor=price_contact_dalarna, submission=second)

    [item] = PriceItem.objects.filter(price_list=open_list, region=dalarna)
    assert item.price == Decimal("2900.00")
    first.refresh_from_db()
    assert first.status == PriceSubmission.Status.REPLACED
    assert PriceSubmission.objects.filter(region=dalarna).count() == 2
    events = Events.objects.references(item).filter(pgh_model="pricing.PriceItemEvent")
    labels = sorted(e.pgh_label for e in events)
    assert labels == ["insert", "update"]
    update = next(e for e in events if e.pgh_label == "update")
    assert update.pgh_diff["price"] == [2850, 2900]
    assert update.pgh_context["user"] == price_contact_dalarna.pk
    removed = Events.objects.filter(pgh_model="pricing.PriceItemEvent", pgh_label="delete")
    assert [e.pgh_data["code"] for e in removed] == ["NPU1"]


@pytest.mark.django_db
def test_a_failure_in_the_middle_leaves_the_earlier_submission_intact(
    open_list, dalarna, price_contact_dalarna
):
    first, _ = _stage(price_contact_dalarna, open_list, dalarna, ROW.format(price="2 850"))
    services.price_submission_confirm(actor=price_contact_dalarna, submission=first)
    second, _ = _stage(price_contact_dalarna, open_list, dalarna, ROW.format(price="9 999"))
    real = services.replace_lines

    def fail_after_writing(*args, **kwargs):
        real(*args, **kwargs)
        raise RuntimeError("disk full")

    with (
        mock.patch.object(services, "replace_lines", fail_after_writing),
        pytest.raises(RuntimeError),
    ):
        services.price_submission_confirm(actor=price_contact_dalarna, submission=second)
    assert [i.price for i in PriceItem.objects.filter(region=dalarna)] == [Decimal("2850.00")]
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == PriceSubmission.Status.CURRENT
    assert second.status == PriceSubmission.Status.PENDING


@pytest.mark.django_db
def test_an_upload_is_refused_once_collection_is_closed(open_list, dalarna, price_contact_dalarna):
    pending, _ = _stage(price_contact_dalarna, open_list, dalarna, ROW.format(price="1"))
    services.price_list_transition(actor=None, price_list=open_list, state=PriceList.State.CLOSED)
    open_list.refresh_from_db()
    with pytest.raises(ValidationError):
        _stage(price_contact_dalarna, open_list, dalarna, ROW.format(price="1"))
    with pytest.raises(ValidationError):
        services.price_submission_confirm(actor=price_contact_dalarna, submission=pending)
    assert not PriceItem.objects.exists()


@pytest.mark.django_db
def test_a_stale_preview_cannot_overwrite_a_newer_confirmed_submission(
    open_list, dalarna, price_contact_dalarna
):
    old, _ = _stage(price_contact_dalarna, open_list, dalarna, ROW.format(price="1"))
    new, _ = _stage(price_contact_dalarna, open_list, dalarna, ROW.format(price="2"))
    services.price_submission_confirm(actor=price_contact_dalarna, submission=new)
    with pytest.raises(ValidationError, match="nyare inlämning"):
        services.price_submission_confirm(actor=price_contact_dalarna, submission=old)


@pytest.mark.django_db
def test_deciding_needs_a_decision_of_the_same_sjukvardsregion(open_list, sodra_board):
    from tests.factories import DecisionFactory, MeetingFactory

    for state in (PriceList.State.CLOSED, PriceList.State.COMPILED):
        services.price_list_transition(actor=None, price_list=open_list, state=state)
    with pytest.raises(ValidationError):
        services.price_list_transition(
            actor=None, price_list=open_list, state=PriceList.State.DECIDED
        )
    other = DecisionFactory(meeting=MeetingFactory(body=sodra_board))
    with pytest.raises(ValidationError):
        services.price_list_transition(
            actor=None, price_list=open_list, state=PriceList.State.DECIDED, decision=other
        )


@pytest.mark.django_db
def test_a_decision_that_decides_another_document_cannot_fix_the_list(
    client, kansli, open_list, board
):
    # "§ 1 Aktivitetsplan 2024" decides a plan; it may not also make prislista 2025 count.
    from plans.models import PlanState
    from tests.factories import DecisionFactory, MeetingFactory
    from tests.plans.factories import ActivityPlanFactory, OperationalPlanFactory

    decision = DecisionFactory(
        meeting=MeetingFactory(body=board), paragraph=1, title="Aktivitetsplan 2024"
    )
    plan = ActivityPlanFactory(
        operational_plan=OperationalPlanFactory(healthcare_region=open_list.healthcare_region),
        year=2024,
        state=PlanState.DECIDED,
        decision=decision,
    )
    decision.subject = plan
    decision.save()
    for state in (PriceList.State.CLOSED, PriceList.State.COMPILED):
        services.price_list_transition(actor=None, price_list=open_list, state=state)

    with pytest.raises(ValidationError, match="gäller redan"):
        services.price_list_transition(
            actor=None, price_list=open_list, state=PriceList.State.DECIDED, decision=decision
        )
    open_list.refresh_from_db()
    assert (open_list.state, open_list.decision) == (PriceList.State.COMPILED, None)
    # Nor is it offered on the list's page.
    client.force_login(kansli)
    form = client.get(open_list.get_absolute_url()).context["transition_form"]
    assert decision not in form.fields["decision"].queryset


@pytest.mark.django_db
def test_deciding_links_the_list_and_its_decision(decided_list):
    assert list(decided_list.decision.price_lists.all()) == [decided_list]


@pytest.mark.parametrize(
    ("price", "percent", "rounding", "expected"),
    [
        ("74750.00", "3", services.Rounding.WHOLE_KRONOR, "76993.00"),  # 76992.50
        ("2850.00", "2.5", services.Rounding.WHOLE_KRONOR, "2921.00"),  # 2921.25
        ("100.00", "2.5", services.Rounding.WHOLE_KRONOR, "103.00"),  # 102.50 rounds half up
        ("2850.00", "2.5", services.Rounding.TEN_KRONOR, "2920.00"),
        ("2850.00", "2.5", services.Rounding.ORE, "2921.25"),
        ("10.00", "-5", services.Rounding.WHOLE_KRONOR, "10.00"),  # 9.50 → 10
    ],
)
def test_uprating_rounds_half_up_as_the_rule_says(price, percent, rounding, expected):
    assert services.uprate(Decimal(price), Decimal(percent), rounding) == Decimal(expected)


@pytest.mark.django_db
def test_uprating_makes_next_years_list_a_draft_with_every_regions_lines(decided_list, dalarna):
    new = services.price_list_uprate(
        actor=None, source=decided_list, percent=Decimal("3.1"), deadline=datetime.date(2024, 10, 1)
    )
    assert (new.year, new.state, new.uprated_from) == (
        2025,
        PriceList.State.COLLECTING,
        decided_list,
    )
    prices = dict(
        PriceItem.objects.filter(price_list=new, region=dalarna).values_list("code", "price")
    )
    assert prices == {"LB-KARD": Decimal("2578.00"), "DRG": Decimal("74232.00")}
    assert set(new.submissions.values_list("source", flat=True)) == {"uppraknad"}


@pytest.mark.django_db
def test_only_a_decided_list_can_be_uprated(open_list):
    with pytest.raises(ValidationError):
        services.price_list_uprate(actor=None, source=open_list, percent=Decimal("3"))


@pytest.mark.django_db
def test_lines_written_directly_for_the_api_are_one_current_submission(open_list, dalarna):
    submission = services.price_lines_submit(
        actor=None, price_list=open_list, region=dalarna, lines=[line(), line(code="X")]
    )
    assert submission.status == PriceSubmission.Status.CURRENT
    assert PriceItem.objects.filter(region=dalarna).count() == 2


@pytest.mark.django_db
def test_a_line_changed_later_in_the_same_transaction_as_a_submission_is_still_recorded(
    open_list, dalarna
):
    with transaction.atomic():
        services.price_lines_submit(
            actor=None, price_list=open_list, region=dalarna, lines=[line()]
        )
        PriceItem.objects.filter(region=dalarna).update(price=Decimal("3000.00"))
    labels = [
        e.pgh_label
        for e in Events.objects.filter(pgh_model="pricing.PriceItemEvent").order_by(
            "pgh_created_at", "pgh_id"
        )
    ]
    assert labels == ["insert", "update"]


@pytest.mark.django_db
def test_texts_with_tabs_backslashes_and_line_breaks_are_written_as_they_are(open_list, dalarna):
    odd = "Röntgen\tvä\\nster\r\nhöger \\N"
    services.price_lines_submit(
        actor=None,
        price_list=open_list,
        region=dalarna,
        lines=[line(description=odd), line(code="X", note="\\.")],
    )
    items = dict(PriceItem.objects.filter(region=dalarna).values_list("code", "description"))
    assert items["LB-KARD"] == odd
    assert PriceItem.objects.get(code="X").note == "\\."


@pytest.mark.django_db
def test_the_confirmation_commits_the_lines_checked_at_upload_without_reading_the_file_again(
    open_list, dalarna, price_contact_dalarna, django_capture_on_commit_callbacks
):
    pending, staged = _stage(
        price_contact_dalarna,
        open_list,
        dalarna,
        ROW.format(price="2 850"),
        ";Falu lasarett;;Analys;NPU1;Analys;analys;50;",
    )
    with (
        mock.patch.object(services.imports, "read_price_file") as read,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.submission_lines(pending) == staged
        services.price_submission_confirm(actor=price_contact_dalarna, submission=pending)
    read.assert_not_called()
    assert sorted(PriceItem.objects.values_list("code", "price")) == [
        ("LB-KARD", Decimal("2850.00")),
        ("NPU1", Decimal("50.00")),
    ]
    assert cache.get(services._pending_lines_key(pending)) is None


@pytest.mark.django_db
def test_without_the_cached_lines_the_stored_file_is_read_and_checked_again(
    open_list, dalarna, price_contact_dalarna
):
    odd = '"Falu\tlasarett"'  # a tab: not kept as COPY text, so never cached
    tabbed, _ = _stage(
        price_contact_dalarna, open_list, dalarna, f";{odd};;Analys;NPU1;Analys;analys;50;"
    )
    evicted, _ = _stage(price_contact_dalarna, open_list, dalarna, ROW.format(price="2 850"))
    cache.clear()
    assert [line.hospital for line in services.submission_lines(tabbed)] == ["Falu\tlasarett"]
    services.price_submission_confirm(actor=price_contact_dalarna, submission=evicted)
    assert list(PriceItem.objects.values_list("code", flat=True)) == ["LB-KARD"]
