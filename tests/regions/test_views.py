import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from regions import services
from regions.models import Meeting, Membership, Person
from tests.factories import (
    DecisionFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db


def test_kansli_creates_a_meeting_in_the_browser(client, kansli, board, mellansverige):
    client.force_login(kansli)
    response = client.post(
        reverse("regions:meeting_create", kwargs={"hr": "mellansverige"}),
        {
            "body": board.pk,
            "date": "2026-12-11",
            "start_time": "09:30",
            "place": "Örebro",
            "title": "Decembersammanträdet",
        },
    )
    meeting = Meeting.objects.get(title="Decembersammanträdet")
    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url()
    assert meeting.date == datetime.date(2026, 12, 11)
    assert not meeting.is_published


def test_a_meeting_form_with_missing_fields_keeps_what_was_typed(client, kansli, board):
    client.force_login(kansli)
    response = client.post(
        reverse("regions:meeting_create", kwargs={"hr": "mellansverige"}),
        {
            "body": board.pk,
            "date": "",
            "place": "Falun",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Formuläret kunde inte sparas" in page
    assert 'href="#id_date"' in page
    assert "Detta fält måste fyllas i." in page
    assert 'value="Falun"' in page
    assert not Meeting.objects.exists()


def test_a_malformed_date_gets_a_swedish_message(client, kansli, board):
    client.force_login(kansli)
    response = client.post(
        reverse("regions:meeting_create", kwargs={"hr": "mellansverige"}),
        {
            "body": board.pk,
            "date": "31/12/2026",
        },
    )
    assert "Fyll i ett giltigt datum." in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_forged_body_of_another_healthcare_region_is_refused(client, kansli, board, sodra_board):
    client.force_login(kansli)
    response = client.post(
        reverse("regions:meeting_create", kwargs={"hr": "mellansverige"}),
        {
            "body": sodra_board.pk,
            "date": "2026-12-11",
        },
    )
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_second_of_two_editors_is_told_and_sees_both_versions(client, kansli, board):
    meeting = MeetingFactory(body=board, place="Örebro")
    url = reverse("regions:meeting_update", kwargs={"hr": "mellansverige", "pk": meeting.pk})
    client.force_login(kansli)
    form = client.get(url).context["form"]
    loaded_version = form.initial["loaded_version"]
    fields = {"body": board.pk, "date": "2024-03-15", "loaded_version": loaded_version}
    assert client.post(url, {**fields, "place": "Uppsala"}).status_code == 302

    response = client.post(url, {**fields, "place": "Falun"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Någon annan har ändrat sammanträdet" in page
    assert "Den senast sparade versionen" in page
    assert "Uppsala" in page  # the saved text
    assert 'value="Falun"' in page  # and their own, still in the form
    assert Meeting.objects.get(pk=meeting.pk).place == "Uppsala"

    # Having seen both, saving again is a deliberate choice and goes through.
    reloaded = response.context["form"].data["loaded_version"]
    client.post(url, {**fields, "loaded_version": reloaded, "place": "Falun"})
    assert Meeting.objects.get(pk=meeting.pk).place == "Falun"


def test_kansli_adds_agenda_items_and_decisions(client, kansli, draft_meeting):
    client.force_login(kansli)
    kwargs = {"hr": "mellansverige", "pk": draft_meeting.pk}
    client.post(reverse("regions:agenda_item_create", kwargs=kwargs), {"title": "Prislista 2027"})
    item = draft_meeting.agenda_items.get()
    response = client.post(
        reverse("regions:decision_create", kwargs=kwargs),
        {
            "agenda_item": item.pk,
            "title": "Sjukvårdsregional prislista 2027",
            "text": "Samverkansnämnden fastställer prislistan.",
        },
    )
    assert response.status_code == 302
    decision = draft_meeting.decisions.get()
    assert (decision.paragraph, decision.agenda_item) == (1, item)
    page = client.get(draft_meeting.get_absolute_url()).content.decode()
    assert "§ 1 Sjukvårdsregional prislista 2027" in page


def test_a_decision_without_text_is_not_saved(client, kansli, draft_meeting):
    client.force_login(kansli)
    response = client.post(
        reverse("regions:decision_create", kwargs={"hr": "mellansverige", "pk": draft_meeting.pk}),
        {"title": "Utan text"},
    )
    assert response.status_code == 200
    assert 'href="#id_text"' in response.content.decode()
    assert not draft_meeting.decisions.exists()


def test_publishing_the_minutes_makes_the_meeting_public(client, kansli, draft_meeting):
    url = draft_meeting.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(kansli)
    client.post(
        reverse("regions:meeting_publish", kwargs={"hr": "mellansverige", "pk": draft_meeting.pk}),
        {"publish": "1"},
    )
    client.logout()
    assert client.get(url).status_code == 200


def test_the_meeting_list_hides_unpublished_meetings_from_the_public(
    client, draft_meeting, published_meeting
):
    page = client.get(reverse("regions:meetings", kwargs={"hr": "mellansverige"})).content.decode()
    assert published_meeting.get_absolute_url() in page
    assert draft_meeting.get_absolute_url() not in page


def test_kansli_of_sodra_manages_sodras_own_meetings(client, kansli_sodra, sodra_board):
    meeting = MeetingFactory(body=sodra_board)
    client.force_login(kansli_sodra)
    url = reverse("regions:meeting_update", kwargs={"hr": "sodra", "pk": meeting.pk})
    assert client.get(url).status_code == 200


def test_a_meeting_of_sodra_is_not_found_under_mellansverige(
    client, kansli, sodra_board, mellansverige
):
    meeting = MeetingFactory(body=sodra_board, is_published=True)
    client.force_login(kansli)
    assert client.get(f"/mellansverige/sammantraden/{meeting.pk}/").status_code == 404


def test_kansli_appoints_a_new_person_to_a_body(client, kansli, board, uppsala):
    client.force_login(kansli)
    response = client.post(
        reverse("regions:membership_create", kwargs={"hr": "mellansverige", "pk": board.pk}),
        {
            "first_name": "Karin",
            "last_name": "Exempelsson",
            "region": uppsala.pk,
            "role": Membership.Role.DEPUTY,
            "starts_on": "2025-01-01",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(person__last_name="Exempelsson")
    assert (membership.region, membership.role) == (uppsala, "ersattare")
    page = client.get(board.get_absolute_url()).content.decode()
    assert "Karin Exempelsson" in page


def test_a_refused_appointment_leaves_no_new_person_behind(client, kansli, board, uppsala):
    MembershipFactory(
        body=board, region=uppsala, role=Membership.Role.CHAIR, starts_on=datetime.date(2025, 1, 1)
    )
    client.force_login(kansli)
    response = client.post(
        reverse("regions:membership_create", kwargs={"hr": "mellansverige", "pk": board.pk}),
        {
            "first_name": "Ny",
            "last_name": "Ordförande",
            "region": uppsala.pk,
            "role": Membership.Role.CHAIR,
            "starts_on": "2025-06-01",
        },
    )
    assert response.status_code == 200
    assert "redan en ordförande" in response.content.decode()
    assert not Person.objects.filter(last_name="Ordförande").exists()


def test_an_appointment_needs_a_person(client, kansli, board, uppsala):
    client.force_login(kansli)
    response = client.post(
        reverse("regions:membership_create", kwargs={"hr": "mellansverige", "pk": board.pk}),
        {
            "region": uppsala.pk,
            "role": Membership.Role.MEMBER,
            "starts_on": "2025-01-01",
        },
    )
    assert "Ange förnamn för den nya personen" in response.content.decode()
    assert not Membership.objects.exists()


def test_ending_a_term_removes_the_member_from_the_current_list(client, kansli, board, uppsala):
    membership = MembershipFactory(
        body=board, region=uppsala, person=PersonFactory(last_name="Avgående")
    )
    client.force_login(kansli)
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    response = client.post(
        reverse("regions:membership_end", kwargs={"hr": "mellansverige", "pk": membership.pk}),
        {"ends_on": yesterday.isoformat()},
        follow=True,
    )
    assert f"avslutas {yesterday.isoformat()}" in response.content.decode()
    assert response.context["groups"] == []


def test_the_body_page_groups_members_by_region_and_role_and_shows_the_rotation(
    client, board, uppsala, dalarna
):
    MembershipFactory(
        body=board,
        region=dalarna,
        role=Membership.Role.CHAIR,
        person=PersonFactory(first_name="Dala", last_name="Ordförande"),
        starts_on=datetime.date(datetime.date.today().year, 1, 1),
    )
    MembershipFactory(
        body=board,
        region=uppsala,
        role=Membership.Role.DEPUTY,
        person=PersonFactory(first_name="Uppsala", last_name="Ersättare"),
    )
    response = client.get(board.get_absolute_url())
    groups = response.context["groups"]
    assert [g.region for g in groups] == [uppsala, dalarna]
    assert groups[0].by_role[0][0] == "Ersättare"
    rotation = response.context["rotation"]
    assert rotation[0].is_current and rotation[0].chair_region == dalarna
    assert rotation[1].chair_region == uppsala
    assert "Förslag till rotation" in response.content.decode()


def test_the_history_page_shows_who_changed_what(client, kansli, board):
    client.force_login(kansli)
    client.post(
        reverse("regions:meeting_create", kwargs={"hr": "mellansverige"}),
        {"body": board.pk, "date": "2026-12-11", "place": "Gävle"},
    )
    page = client.get(reverse("regions:history", kwargs={"hr": "mellansverige"})).content.decode()
    assert "Gävle" in page
    assert str(kansli) in page


def _queries(client, url):
    client.get(url)  # the user's permissions into the cache (regions.user_cache)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_body_page_runs_the_same_queries_for_ten_or_sixty_members(
    client, kansli, board, mellansverige
):
    regions = [RegionFactory(healthcare_region=mellansverige) for _ in range(5)]
    client.force_login(kansli)
    for i in range(10):
        MembershipFactory(body=board, region=regions[i % 5])
    small = _queries(client, board.get_absolute_url())
    for i in range(50):
        MembershipFactory(body=board, region=regions[i % 5])
    assert _queries(client, board.get_absolute_url()) == small
    assert small == 8


def test_the_meeting_list_runs_the_same_queries_for_three_or_thirty_meetings(client, kansli, board):
    client.force_login(kansli)
    url = reverse("regions:meetings", kwargs={"hr": "mellansverige"})
    for i in range(3):
        DecisionFactory(meeting=MeetingFactory(body=board, date=datetime.date(2020 + i, 1, 1)))
    small = _queries(client, url)
    for i in range(27):
        DecisionFactory(meeting=MeetingFactory(body=board, date=datetime.date(2000 + i, 1, 1)))
    assert _queries(client, url) == small
    assert small == 6


def test_the_meeting_page_runs_the_same_queries_for_two_or_twenty_decisions(
    client, kansli, draft_meeting
):
    client.force_login(kansli)
    for _ in range(2):
        DecisionFactory(meeting=draft_meeting)
    small = _queries(client, draft_meeting.get_absolute_url())
    for _ in range(18):
        DecisionFactory(meeting=draft_meeting)
    assert _queries(client, draft_meeting.get_absolute_url()) == small
    assert small == 5


def test_the_history_page_runs_the_same_queries_however_long_the_history(client, kansli, board):
    client.force_login(kansli)
    url = reverse("regions:history", kwargs={"hr": "mellansverige"})

    def add_changes(n):
        for i in range(n):
            meeting = services.meeting_create(
                actor=kansli, body=board, date=datetime.date(2000 + i, 1, 1)
            )
            services.decision_create(actor=kansli, meeting=meeting, title="Beslut", text="Text")

    add_changes(1)
    small = _queries(client, url)
    add_changes(20)
    assert _queries(client, url) == small


def test_the_healthcare_region_start_page_runs_the_same_queries_for_few_or_many_decisions(
    client, board_member, board
):
    client.force_login(board_member)
    url = reverse("regions:healthcare_region", kwargs={"hr": "mellansverige"})
    DecisionFactory(meeting=MeetingFactory(body=board, date=datetime.date(2030, 1, 1)))
    small = _queries(client, url)
    for i in range(15):
        DecisionFactory(meeting=MeetingFactory(body=board, date=datetime.date(2031 + i, 1, 1)))
    assert _queries(client, url) == small


def test_the_about_page_runs_the_same_queries_for_few_or_many_bodies(client, mellansverige, board):
    from tests.factories import BodyFactory

    url = reverse("regions:about", kwargs={"hr": "mellansverige"})
    RegionFactory(healthcare_region=mellansverige)
    small = _queries(client, url)
    for _ in range(10):
        BodyFactory(healthcare_region=mellansverige, parent=board)
        RegionFactory(healthcare_region=mellansverige)
    assert _queries(client, url) == small


def test_the_history_is_shown_fifty_changes_a_page(client, kansli, board):
    from core.history import PAGE_SIZE as HISTORY_PAGE_SIZE

    client.force_login(kansli)
    for i in range(HISTORY_PAGE_SIZE + 5):
        services.agenda_item_create(
            actor=kansli, meeting=MeetingFactory(body=board), title=f"Ärende {i}"
        )
    url = reverse("regions:history", kwargs={"hr": "mellansverige"})
    first = client.get(url)
    assert len(first.context["events"]) == HISTORY_PAGE_SIZE
    assert "?sida=2" in first.content.decode()
    second = client.get(url + "?sida=2")
    assert second.context["newer_page"] == 1
    first_labels = {(e.when, e.object_label) for e in first.context["events"]}
    second_labels = {(e.when, e.object_label) for e in second.context["events"]}
    assert second_labels and not first_labels & second_labels
    assert client.get(url + "?sida=abc").status_code == 200
