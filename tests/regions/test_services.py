import datetime

import pytest
from django.core.exceptions import ValidationError

from regions import services
from regions.history import governance_history
from regions.models import Body, Meeting, Membership, RoleGroup
from regions.selectors import permissions_for_user
from tests.factories import (
    AgendaItemFactory,
    BodyFactory,
    DecisionFactory,
    HealthcareRegionFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    RegionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def fresh(user):
    """The same user without the per-request permission cache."""
    return type(user).objects.get(pk=user.pk)


def test_granting_kansli_gives_object_permissions_in_that_healthcare_region_only(
    mellansverige, sodra
):
    user = UserFactory()
    services.role_grant(user=user, role=RoleGroup.Role.KANSLI, scope=mellansverige)
    perms = permissions_for_user(fresh(user))
    assert perms.has_healthcare_region_perm("manage_governance", mellansverige.pk)
    assert perms.has_healthcare_region_perm("view_internal", mellansverige.pk)
    assert not perms.has_healthcare_region_perm("manage_governance", sodra.pk)
    assert user.has_perm("regions.manage_governance", mellansverige)
    assert not user.has_perm("regions.manage_governance", sodra)


def test_board_member_may_read_internal_but_not_manage(mellansverige, board_member):
    perms = permissions_for_user(fresh(board_member))
    assert perms.has_healthcare_region_perm("view_internal", mellansverige.pk)
    assert perms.has_healthcare_region_perm("comment_reports", mellansverige.pk)
    assert not perms.has_healthcare_region_perm("manage_governance", mellansverige.pk)


def test_price_contact_role_is_held_in_a_region_not_a_healthcare_region(
    dalarna, uppsala, mellansverige
):
    user = UserFactory()
    services.role_grant(user=user, role=RoleGroup.Role.PRICE_CONTACT, scope=dalarna)
    perms = permissions_for_user(fresh(user))
    assert perms.has_region_perm("submit_prices", dalarna.pk)
    assert not perms.has_region_perm("submit_prices", uppsala.pk)
    with pytest.raises(ValidationError):
        services.role_grant(user=user, role=RoleGroup.Role.PRICE_CONTACT, scope=mellansverige)


def test_revoking_a_role_removes_its_permissions(mellansverige):
    user = UserFactory()
    services.role_grant(user=user, role=RoleGroup.Role.KANSLI, scope=mellansverige)
    assert services.role_revoke(user=user, role=RoleGroup.Role.KANSLI, scope=mellansverige)
    assert not permissions_for_user(fresh(user)).has_healthcare_region_perm(
        "manage_governance", mellansverige.pk
    )
    assert not services.role_revoke(user=user, role=RoleGroup.Role.KANSLI, scope=mellansverige)


def test_two_users_with_the_same_role_share_one_group(mellansverige):
    first = services.role_grant(user=UserFactory(), role=RoleGroup.Role.KANSLI, scope=mellansverige)
    second = services.role_grant(
        user=UserFactory(), role=RoleGroup.Role.KANSLI, scope=mellansverige
    )
    assert first.pk == second.pk
    assert first.group.user_set.count() == 2


def test_a_body_has_one_chair_at_a_time(board, uppsala, dalarna):
    services.membership_create(
        actor=None,
        body=board,
        person=PersonFactory(),
        region=uppsala,
        role=Membership.Role.CHAIR,
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    with pytest.raises(ValidationError) as error:
        services.membership_create(
            actor=None,
            body=board,
            person=PersonFactory(),
            region=dalarna,
            role=Membership.Role.CHAIR,
            starts_on=datetime.date(2026, 1, 1),
        )
    assert "redan en ordförande" in str(error.value)
    # The next period's chair may follow on the day after.
    services.membership_create(
        actor=None,
        body=board,
        person=PersonFactory(),
        region=dalarna,
        role=Membership.Role.CHAIR,
        starts_on=datetime.date(2027, 1, 1),
    )
    assert board.memberships.filter(role=Membership.Role.CHAIR).count() == 2


def test_a_person_cannot_hold_two_overlapping_terms_in_one_body(board, uppsala):
    person = PersonFactory()
    services.membership_create(
        actor=None,
        body=board,
        person=person,
        region=uppsala,
        role=Membership.Role.MEMBER,
        starts_on=datetime.date(2023, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        services.membership_create(
            actor=None,
            body=board,
            person=person,
            region=uppsala,
            role=Membership.Role.DEPUTY,
            starts_on=datetime.date(2024, 1, 1),
        )
    assert "redan ett uppdrag" in str(error.value)


def test_a_member_must_represent_a_region_of_the_healthcare_region(board, skane):
    with pytest.raises(ValidationError) as error:
        services.membership_create(
            actor=None,
            body=board,
            person=PersonFactory(),
            region=skane,
            role=Membership.Role.MEMBER,
            starts_on=datetime.date(2023, 1, 1),
        )
    assert "ingår inte i" in str(error.value)
    assert not Membership.objects.exists()


def test_halland_may_sit_in_a_body_of_vastra_it_cooperates_with(sodra):
    vastra = HealthcareRegionFactory(slug="vastra", name="Västra sjukvårdsregionen")
    halland = RegionFactory(
        scb_code="13", name="Region Halland", healthcare_region=sodra, cooperates_with=vastra
    )
    body = BodyFactory(healthcare_region=vastra)
    membership = services.membership_create(
        actor=None,
        body=body,
        person=PersonFactory(),
        region=halland,
        role=Membership.Role.CO_OPTED,
        starts_on=datetime.date(2024, 1, 1),
    )
    assert membership.pk


def test_a_term_cannot_end_before_it_starts(board, uppsala):
    membership = MembershipFactory(body=board, region=uppsala, starts_on=datetime.date(2024, 1, 1))
    with pytest.raises(ValidationError):
        services.membership_end(
            actor=None, membership=membership, ends_on=datetime.date(2023, 12, 31)
        )
    membership.refresh_from_db()
    assert membership.ends_on is None


def test_decision_paragraphs_run_per_body_and_year(board):
    spring = MeetingFactory(body=board, date=datetime.date(2024, 3, 15))
    autumn = MeetingFactory(body=board, date=datetime.date(2024, 10, 4))
    next_year = MeetingFactory(body=board, date=datetime.date(2025, 2, 7))
    first = services.decision_create(actor=None, meeting=spring, title="A", text="a")
    second = services.decision_create(actor=None, meeting=autumn, title="B", text="b")
    third = services.decision_create(actor=None, meeting=next_year, title="C", text="c")
    assert (first.paragraph, second.paragraph, third.paragraph) == (1, 2, 1)


def test_a_paragraph_number_is_not_used_twice_in_a_year(board):
    spring = MeetingFactory(body=board, date=datetime.date(2024, 3, 15))
    autumn = MeetingFactory(body=board, date=datetime.date(2024, 10, 4))
    services.decision_create(actor=None, meeting=spring, title="A", text="a", paragraph=12)
    with pytest.raises(ValidationError) as error:
        services.decision_create(actor=None, meeting=autumn, title="B", text="b", paragraph=12)
    assert "§ 12 finns redan" in str(error.value)
    assert autumn.decisions.count() == 0


def test_a_decision_cannot_belong_to_another_meetings_agenda_item(board):
    meeting = MeetingFactory(body=board)
    other_item = AgendaItemFactory(
        meeting=MeetingFactory(body=board, date=datetime.date(2024, 5, 1))
    )
    with pytest.raises(ValidationError):
        services.decision_create(
            actor=None, meeting=meeting, title="A", text="a", agenda_item=other_item
        )


def test_a_decision_that_decides_a_document_cannot_be_deleted(board, mellansverige):
    decision = services.decision_create(
        actor=None, meeting=MeetingFactory(body=board), title="A", text="a", subject=mellansverige
    )
    assert decision.subject == mellansverige
    with pytest.raises(ValidationError):
        services.decision_delete(actor=None, decision=decision)
    assert decision.meeting.decisions.count() == 1


def test_saving_over_someone_elses_change_is_refused(board, kansli):
    meeting = MeetingFactory(body=board, place="Örebro")
    loaded = meeting.updated_at
    services.meeting_update(
        actor=kansli, meeting=meeting, fields={"place": "Uppsala"}, expected_updated_at=loaded
    )
    with pytest.raises(services.ConcurrentEditError) as conflict:
        services.meeting_update(
            actor=kansli, meeting=meeting, fields={"place": "Falun"}, expected_updated_at=loaded
        )
    assert conflict.value.current.place == "Uppsala"
    assert Meeting.objects.get(pk=meeting.pk).place == "Uppsala"


def test_a_meeting_cannot_move_to_a_body_of_another_healthcare_region(board, sodra_board):
    meeting = MeetingFactory(body=board)
    with pytest.raises(ValidationError):
        services.meeting_update(actor=None, meeting=meeting, fields={"body": sodra_board})
    assert Meeting.objects.get(pk=meeting.pk).body == board


def test_agenda_items_are_numbered_in_order(board):
    meeting = MeetingFactory(body=board)
    first = services.agenda_item_create(actor=None, meeting=meeting, title="Första")
    second = services.agenda_item_create(actor=None, meeting=meeting, title="Andra")
    assert (first.number, second.number) == (1, 2)


def test_every_change_is_recorded_with_who_and_before_and_after(board, kansli, mellansverige):
    # Written outside the services (as by the admin or a shell): still recorded.
    DecisionFactory(meeting=MeetingFactory(body=board))
    meeting = services.meeting_create(
        actor=kansli, body=board, date=datetime.date(2024, 3, 15), place="Örebro"
    )
    services.meeting_update(actor=kansli, meeting=meeting, fields={"place": "Västerås"})
    entries = governance_history(mellansverige)
    update = next(e for e in entries if e.action == "Ändrad" and e.what == "Sammanträde")
    assert update.who == str(kansli)
    assert [(c.field, c.before, c.after) for c in update.changes] == [
        ("Plats", "Örebro", "Västerås")
    ]
    assert any(e.what == "Beslut" and e.who == "systemet" for e in entries)


def test_history_of_one_healthcare_region_leaves_out_the_others(board, sodra_board, mellansverige):
    services.meeting_create(
        actor=None, body=sodra_board, date=datetime.date(2024, 3, 15), place="Lund"
    )
    services.meeting_create(actor=None, body=board, date=datetime.date(2024, 3, 15), place="Falun")
    places = [
        c.after for e in governance_history(mellansverige) for c in e.changes if c.field == "Plats"
    ]
    assert places == ["Falun"]


def test_deleting_an_agenda_item_is_recorded(board, mellansverige):
    item = AgendaItemFactory(meeting=MeetingFactory(body=board), title="Strykes")
    services.agenda_item_delete(actor=None, item=item)
    assert any(
        e.action == "Borttagen" and e.object_label == "Strykes"
        for e in governance_history(mellansverige)
    )


def test_body_kind_choices_cover_the_seeds_bodies():
    assert {k for k, _ in Body.Kind.choices} == {
        "board",
        "working_committee",
        "management",
        "secretariat",
        "directors",
        "working_group",
    }


def test_history_names_people_and_related_rows_instead_of_ids(
    board, kansli, uppsala, mellansverige
):
    person = services.person_create(
        actor=kansli, first_name="Karin", last_name="Exempelsson", title="Regionråd"
    )
    services.membership_create(
        actor=kansli,
        body=board,
        person=person,
        region=uppsala,
        role=Membership.Role.DEPUTY,
        starts_on=datetime.date(2025, 1, 1),
    )
    entries = governance_history(mellansverige)
    created_person = next(e for e in entries if e.what == "Person")
    assert created_person.object_label == "Karin Exempelsson"
    membership = next(e for e in entries if e.what == "Uppdrag")
    assert membership.object_label == "Karin Exempelsson, ersättare"
    shown = {c.field: c.after for c in membership.changes}
    assert shown["Organ"] == "Samverkansnämnden"
    assert shown["Representerar"] == "Region Uppsala"
    assert shown["Roll"] == "Ersättare"


def test_history_shows_a_decision_that_decides_a_document(board, mellansverige):
    services.decision_create(
        actor=None,
        meeting=MeetingFactory(body=board),
        title="Plan",
        text="Fastställs.",
        subject=mellansverige,
    )
    decision = next(e for e in governance_history(mellansverige) if e.what == "Beslut")
    assert decision.object_label.startswith("§ ")
