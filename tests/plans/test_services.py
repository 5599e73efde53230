import pytest
from django.core.exceptions import ValidationError
from pghistory.models import Events

from plans import services
from plans.diff import activity_plan_diff, operational_plan_diff
from plans.models import Activity, ActivityPlan, PlanState
from regions.models import Decision
from tests.factories import BodyFactory, MeetingFactory
from tests.plans.factories import ActivityFactory

pytestmark = pytest.mark.django_db


def test_a_plan_goes_from_draft_through_review_to_decided_by_a_decision(kansli, draft_plan, board):
    services.plan_transition(actor=kansli, plan=draft_plan, to_state=PlanState.REVIEW)
    meeting = MeetingFactory(body=board)
    plan = services.plan_decide(actor=kansli, plan=draft_plan, meeting=meeting)
    decision = Decision.objects.get(meeting=meeting)
    assert plan.state == PlanState.DECIDED
    assert plan.decision == decision
    assert decision.subject == plan
    assert decision.title == "Aktivitetsplan 2023"


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (PlanState.DRAFT, PlanState.DECIDED),
        (PlanState.DRAFT, PlanState.ARCHIVED),
        (PlanState.ARCHIVED, PlanState.DRAFT),
        (PlanState.DECIDED, PlanState.DRAFT),
        (PlanState.DECIDED, PlanState.REVIEW),
        (PlanState.REVIEW, PlanState.ARCHIVED),
    ],
)
def test_illegal_transitions_are_refused(kansli, draft_plan, start, to):
    ActivityPlan.objects.filter(pk=draft_plan.pk).update(
        state=start, decision=draft_plan.operational_plan.decision
    )
    with pytest.raises(ValidationError, match="kan inte gå från"):
        services.plan_transition(actor=kansli, plan=draft_plan, to_state=to)
    assert ActivityPlan.objects.get(pk=draft_plan.pk).state == start


def test_only_a_plan_under_review_can_be_decided(kansli, draft_plan, board):
    with pytest.raises(ValidationError):
        services.plan_decide(actor=kansli, plan=draft_plan, meeting=MeetingFactory(body=board))
    assert not Decision.objects.filter(title="Aktivitetsplan 2023").exists()


def test_a_meeting_of_another_healthcare_region_cannot_decide_the_plan(
    kansli, draft_plan, sodra_board
):
    services.plan_transition(actor=kansli, plan=draft_plan, to_state=PlanState.REVIEW)
    with pytest.raises(ValidationError):
        services.plan_decide(
            actor=kansli, plan=draft_plan, meeting=MeetingFactory(body=sodra_board)
        )


def test_a_decided_plan_is_read_only(kansli, operational_plan):
    section = operational_plan.sections.get()
    with pytest.raises(ValidationError, match="Skapa en ny version"):
        services.section_update(actor=kansli, section=section, fields={"heading": "Nytt"})


def test_a_new_version_is_a_draft_copy_and_the_diff_shows_what_changed(kansli, operational_plan):
    copy = services.plan_new_version(actor=kansli, plan=operational_plan)
    assert (copy.state, copy.version, copy.previous_version) == (
        PlanState.DRAFT,
        2,
        operational_plan,
    )
    section = copy.sections.get()
    services.section_update(actor=kansli, section=section, fields={"plan_text": "Ny text."})
    services.goal_create(actor=kansli, section=section, text="Fastställa en årlig prislista")
    diff = operational_plan_diff(operational_plan, copy)
    assert [d.status for d in diff] == ["changed"]
    assert diff[0].changes[0].before == "Planens text."
    assert diff[0].changes[0].after == "Ny text."
    assert [c.status for c in diff[0].children] == ["added"]
    with pytest.raises(ValidationError, match="redan en ny version"):
        services.plan_new_version(actor=kansli, plan=operational_plan)


def test_deciding_a_new_version_archives_the_old_one(kansli, operational_plan, board):
    copy = services.plan_new_version(actor=kansli, plan=operational_plan)
    services.plan_transition(actor=kansli, plan=copy, to_state=PlanState.REVIEW)
    services.plan_decide(actor=kansli, plan=copy, meeting=MeetingFactory(body=board))
    operational_plan.refresh_from_db()
    assert operational_plan.state == PlanState.ARCHIVED


def test_the_activity_diff_shows_activities_added_removed_and_changed(
    kansli, draft_plan, board, area, activity
):
    ActivityPlan.objects.filter(pk=draft_plan.pk).update(state=PlanState.REVIEW)
    services.plan_decide(actor=kansli, plan=draft_plan, meeting=MeetingFactory(body=board))
    copy = services.plan_new_version(actor=kansli, plan=draft_plan)
    copied = Activity.objects.get(focus_area__activity_plan=copy)
    services.activity_update(
        actor=kansli,
        activity=copied,
        fields={
            "responsible_body": BodyFactory(
                healthcare_region=draft_plan.healthcare_region, name="Ledningsgruppen"
            )
        },
    )
    services.activity_create(actor=kansli, focus_area=copy.focus_areas.get(), title="Ny aktivitet")
    diff = activity_plan_diff(draft_plan, copy)
    assert {(d.status, d.label) for d in diff} == {
        ("changed", "Utveckla och sprida vårdförlopp"),
        ("added", "Ny aktivitet"),
    }
    changed = next(d for d in diff if d.status == "changed")
    assert [(c.label, c.after) for c in changed.changes] == [("Ansvarig", "Ledningsgruppen")]


def test_the_second_of_two_editors_is_refused_and_nothing_is_overwritten(kansli, activity):
    loaded = activity.updated_at
    services.activity_update(
        actor=kansli, activity=activity, fields={"title": "Första"}, expected_updated_at=loaded
    )
    with pytest.raises(services.ConcurrentEditError) as conflict:
        services.activity_update(
            actor=kansli, activity=activity, fields={"title": "Andra"}, expected_updated_at=loaded
        )
    assert conflict.value.current.title == "Första"
    assert Activity.objects.get(pk=activity.pk).title == "Första"


def test_text_is_sanitised_on_save(kansli, activity):
    services.activity_update(
        actor=kansli,
        activity=activity,
        fields={
            "description": '<p onclick="x()">Hej <script>alert(1)</script><strong>du</strong>'
            '<a href="javascript:alert(1)">länk</a></p>'
        },
    )
    activity.refresh_from_db()
    assert (
        activity.description
        == '<p>Hej <strong>du</strong><a rel="noopener noreferrer">länk</a></p>'
    )


def test_plain_text_markup_becomes_paragraphs_and_lists(kansli, activity):
    services.activity_update(
        actor=kansli,
        activity=activity,
        fields={"description": "Första stycket med **fetstil**.\n\n- ett\n- två"},
    )
    activity.refresh_from_db()
    assert activity.description == (
        "<p>Första stycket med <strong>fetstil</strong>.</p><ul><li>ett</li><li>två</li></ul>"
    )


def test_moving_an_activity_up_swaps_it_with_the_one_above(kansli, area, activity):
    second = ActivityFactory(focus_area=area, title="Andra")
    services.activity_move(actor=kansli, activity=second, direction=-1)
    assert list(area.activities.values_list("title", flat=True)) == [
        "Andra",
        "Utveckla och sprida vårdförlopp",
    ]


def test_every_change_is_recorded_with_who_made_it(kansli, activity):
    services.activity_update(actor=kansli, activity=activity, fields={"title": "Ändrad"})
    event = Events.objects.filter(pgh_obj_model="plans.Activity", pgh_label="update").get()
    assert event.pgh_context["user"] == kansli.pk
    assert event.pgh_diff["title"] == ["Utveckla och sprida vårdförlopp", "Ändrad"]


def test_next_years_plan_carries_over_the_chosen_activities(kansli, draft_plan, area, activity):
    ActivityFactory(focus_area=area, title="Stannar kvar")
    new = services.activity_plan_copy_to_year(
        actor=kansli, plan=draft_plan, year=2024, activity_ids=[activity.pk]
    )
    assert (new.year, new.state, new.title) == (2024, PlanState.DRAFT, "Aktivitetsplan 2024")
    assert [f.name for f in new.focus_areas.all()] == ["Kunskapsstyrning"]
    assert list(
        Activity.objects.filter(focus_area__activity_plan=new).values_list("title", flat=True)
    ) == ["Utveckla och sprida vårdförlopp"]


def test_next_year_must_lie_within_the_verksamhetsplan(kansli, draft_plan, activity):
    with pytest.raises(ValidationError, match="utanför"):
        services.activity_plan_copy_to_year(
            actor=kansli, plan=draft_plan, year=2025, activity_ids=[activity.pk]
        )
    assert ActivityPlan.objects.count() == 1
