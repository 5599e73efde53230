import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from knowledge import selectors, services
from knowledge.models import GroupKind, GroupRole, Hosting, IndicatorValue, RegionalGroup
from tests.factories import PersonFactory
from tests.knowledge.factories import (
    CouncilMembershipFactory,
    GoalFactory,
    GroupMembershipFactory,
    HostingFactory,
    IndicatorFactory,
    KnowledgeCouncilFactory,
    NationalGroupFactory,
    NationalProgramAreaFactory,
    PatientPromiseFactory,
    RegionalGroupFactory,
)

pytestmark = pytest.mark.django_db


def fresh(user):
    return type(user).objects.get(pk=user.pk)


def test_kansli_creates_a_group_and_its_uppdrag_is_sanitised(kansli, mellansverige):
    group = services.regional_group_create(
        actor=kansli,
        healthcare_region=mellansverige,
        kind=GroupKind.COLLABORATION,
        name=" Uppföljning och analys ",
        mandate='<p onclick="x()">Stödja <strong>NPO</strong></p><script>alert(1)</script>'
        '<a href="javascript:alert(1)">länk</a><img src=x>',
    )
    assert group.name == "Uppföljning och analys"
    assert (
        group.mandate == '<p>Stödja <strong>NPO</strong></p><a rel="noopener noreferrer">länk</a>'
    )
    assert group.events.count() == 1


def test_a_group_name_is_unique_per_kind_in_a_healthcare_region(mellansverige, sodra):
    services.regional_group_create(
        actor=None, healthcare_region=mellansverige, kind=GroupKind.PROGRAM_AREA, name="Akut vård"
    )
    with pytest.raises(ValidationError) as error:
        services.regional_group_create(
            actor=None,
            healthcare_region=mellansverige,
            kind=GroupKind.PROGRAM_AREA,
            name="Akut vård",
        )
    assert "redan en grupp" in str(error.value)
    services.regional_group_create(
        actor=None, healthcare_region=mellansverige, kind=GroupKind.COLLABORATION, name="Akut vård"
    )
    services.regional_group_create(
        actor=None, healthcare_region=sodra, kind=GroupKind.PROGRAM_AREA, name="Akut vård"
    )


def test_a_programme_area_mirrors_an_npo_not_an_nsg(mellansverige):
    with pytest.raises(ValidationError) as error:
        services.regional_group_create(
            actor=None,
            healthcare_region=mellansverige,
            kind=GroupKind.PROGRAM_AREA,
            name="Data",
            national_group=NationalGroupFactory(),
        )
    assert "national_group" in error.value.error_dict
    with pytest.raises(ValidationError):
        services.regional_group_create(
            actor=None,
            healthcare_region=mellansverige,
            kind=GroupKind.COLLABORATION,
            name="Data",
            national_program_area=NationalProgramAreaFactory(),
        )


def test_the_database_refuses_two_national_counterparts(mellansverige):
    with pytest.raises(IntegrityError), transaction.atomic():
        RegionalGroupFactory(
            healthcare_region=mellansverige,
            kind=GroupKind.CANCER_CENTRE,
            national_program_area=NationalProgramAreaFactory(),
            national_group=NationalGroupFactory(),
        )


def test_a_closed_group_needs_a_closing_date(mellansverige):
    with pytest.raises(ValidationError) as error:
        services.regional_group_create(
            actor=None,
            healthcare_region=mellansverige,
            kind=GroupKind.WORKING_GROUP,
            name="Gammal",
            state=RegionalGroup.State.CLOSED,
        )
    assert "closed_on" in error.value.error_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        RegionalGroupFactory(healthcare_region=mellansverige, state=RegionalGroup.State.CLOSED)


def test_a_council_of_another_healthcare_region_is_refused(mellansverige, sodra):
    with pytest.raises(ValidationError) as error:
        services.regional_group_create(
            actor=None,
            healthcare_region=mellansverige,
            kind=GroupKind.PROGRAM_AREA,
            name="Tandvård",
            council=KnowledgeCouncilFactory(healthcare_region=sodra),
        )
    assert "council" in error.value.error_dict


def test_a_group_has_one_chair_at_a_time(rsg, uppsala, dalarna):
    services.group_membership_create(
        actor=None,
        group=rsg,
        person=PersonFactory(),
        region=uppsala,
        role=GroupRole.CHAIR,
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
    )
    with pytest.raises(ValidationError) as error:
        services.group_membership_create(
            actor=None,
            group=rsg,
            person=PersonFactory(),
            region=dalarna,
            role=GroupRole.CHAIR,
            starts_on=datetime.date(2025, 12, 31),
        )
    assert "redan en ordförande" in str(error.value)
    services.group_membership_create(
        actor=None,
        group=rsg,
        person=PersonFactory(),
        region=dalarna,
        role=GroupRole.CHAIR,
        starts_on=datetime.date(2026, 1, 1),
    )


def test_a_person_holds_one_role_at_a_time_in_a_group(rsg, uppsala):
    person = PersonFactory()
    services.group_membership_create(
        actor=None,
        group=rsg,
        person=person,
        region=uppsala,
        role=GroupRole.MEMBER,
        starts_on=datetime.date(2024, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        services.group_membership_create(
            actor=None,
            group=rsg,
            person=person,
            region=uppsala,
            role=GroupRole.SECRETARY,
            starts_on=datetime.date(2024, 6, 1),
        )
    assert "person" in error.value.error_dict


def test_a_member_must_represent_a_region_of_the_healthcare_region(rsg, skane):
    with pytest.raises(ValidationError) as error:
        services.group_membership_create(
            actor=None,
            group=rsg,
            person=PersonFactory(),
            region=skane,
            role=GroupRole.MEMBER,
            starts_on=datetime.date(2024, 1, 1),
        )
    assert "ingår inte i" in str(error.value)


def test_ending_a_term_before_it_began_is_refused(rsg, uppsala):
    membership = GroupMembershipFactory(
        group=rsg, region=uppsala, starts_on=datetime.date(2024, 1, 1)
    )
    with pytest.raises(ValidationError):
        services.group_membership_end(
            actor=None, membership=membership, ends_on=datetime.date(2023, 1, 1)
        )
    ended = services.group_membership_end(
        actor=None, membership=membership, ends_on=datetime.date(2024, 12, 31)
    )
    assert ended.ends_on == datetime.date(2024, 12, 31)


def test_a_council_has_one_chair_at_a_time(mellansverige, uppsala, dalarna):
    council = services.council_create(
        actor=None, healthcare_region=mellansverige, name="Hälsa och rehabilitering"
    )
    services.council_membership_create(
        actor=None,
        council=council,
        person=PersonFactory(),
        region=uppsala,
        role="ordforande",
        starts_on=datetime.date(2024, 1, 1),
    )
    with pytest.raises(ValidationError):
        services.council_membership_create(
            actor=None,
            council=council,
            person=PersonFactory(),
            region=dalarna,
            role="ordforande",
            starts_on=datetime.date(2025, 1, 1),
        )


def test_creating_a_council_puts_its_programme_areas_under_it(mellansverige, sodra):
    areas = [RegionalGroupFactory(healthcare_region=mellansverige) for _ in range(2)]
    council = services.council_create(
        actor=None, healthcare_region=mellansverige, name="Kirurgi och cancer", groups=areas
    )
    assert set(council.groups.all()) == set(areas)
    with pytest.raises(ValidationError):
        services.council_create(
            actor=None,
            healthcare_region=mellansverige,
            name="Fel",
            groups=[RegionalGroupFactory(healthcare_region=sodra)],
        )


def test_an_npo_has_one_host_at_a_time(mellansverige, sodra):
    npo = NationalProgramAreaFactory()
    HostingFactory(
        program_area=npo,
        healthcare_region=mellansverige,
        starts_on=datetime.date(2019, 1, 1),
        ends_on=datetime.date(2022, 12, 31),
    )
    HostingFactory(program_area=npo, healthcare_region=sodra, starts_on=datetime.date(2023, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Hosting.objects.create(
            program_area=npo, healthcare_region=mellansverige, starts_on=datetime.date(2024, 1, 1)
        )


def test_the_group_lead_of_this_group_may_edit_its_uppdrag_only(rsg, other_group, group_lead):
    user = fresh(group_lead)
    assert selectors.can_edit_mandate(user, rsg)
    assert not selectors.can_edit_mandate(user, other_group)
    assert not selectors.can_manage(user, rsg.healthcare_region)


def test_a_lead_whose_term_has_ended_may_no_longer_edit(rsg, group_lead):
    rsg.memberships.update(ends_on=datetime.date(2021, 1, 1))
    assert not selectors.can_edit_mandate(fresh(group_lead), rsg)


def test_a_processledare_without_the_group_lead_role_may_not_edit(rsg, plain_user, uppsala):
    GroupMembershipFactory(
        group=rsg,
        region=uppsala,
        role=GroupRole.PROCESS_LEAD,
        person=PersonFactory(user=plain_user),
    )
    assert not selectors.can_edit_mandate(fresh(plain_user), rsg)


def test_kansli_may_edit_every_group_of_their_healthcare_region_only(rsg, kansli, kansli_sodra):
    assert selectors.can_edit_mandate(fresh(kansli), rsg)
    assert not selectors.can_edit_mandate(fresh(kansli_sodra), rsg)


def test_setting_the_uppdrag_refuses_a_stale_edit(rsg):
    loaded = rsg.updated_at
    services.regional_group_set_mandate(
        actor=None, group=rsg, mandate="<p>Först</p>", expected_updated_at=loaded
    )
    with pytest.raises(services.ConcurrentEditError) as conflict:
        services.regional_group_set_mandate(
            actor=None, group=rsg, mandate="<p>Sedan</p>", expected_updated_at=loaded
        )
    assert conflict.value.current.mandate == "<p>Först</p>"


def test_indicator_values_are_written_and_replaced_per_region_and_year(mellansverige, uppsala):
    indicator = IndicatorFactory(goal__healthcare_region=mellansverige)
    rows = [services.ValueRow(uppsala, 2023, Decimal("71.5"))]
    services.indicator_values_save(actor=None, indicator=indicator, rows=rows)
    services.indicator_values_save(
        actor=None, indicator=indicator, rows=[services.ValueRow(uppsala, 2023, Decimal("72"))]
    )
    assert IndicatorValue.objects.get().value == Decimal("72")


def test_changes_to_groups_are_shown_on_the_historik_page(client, kansli, mellansverige):
    from django.urls import reverse

    from tests.knowledge.factories import RegionalGroupFactory

    RegionalGroupFactory(healthcare_region=mellansverige, name="RSG Historiktest")
    client.force_login(kansli)
    page = client.get(reverse("regions:history", kwargs={"hr": "mellansverige"})).content.decode()
    assert "RSG Historiktest" in page


def test_ending_a_council_term_records_who_and_refuses_a_date_before_it_began(kansli, uppsala):
    membership = CouncilMembershipFactory(
        council__healthcare_region=uppsala.healthcare_region,
        region=uppsala,
        starts_on=datetime.date(2024, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        services.council_membership_end(
            actor=kansli, membership=membership, ends_on=datetime.date(2023, 12, 31)
        )
    assert "ends_on" in error.value.error_dict
    ended = services.council_membership_end(
        actor=kansli, membership=membership, ends_on=datetime.date(2024, 12, 31)
    )
    assert ended.ends_on == datetime.date(2024, 12, 31)
    assert ended.events.order_by("pgh_id").last().pgh_context.metadata["user"] == kansli.pk


def test_a_hosting_overlapping_another_host_is_refused_in_swedish(mellansverige, sodra, kansli):
    npo = NationalProgramAreaFactory()
    HostingFactory(
        program_area=npo,
        healthcare_region=sodra,
        starts_on=datetime.date(2023, 1, 1),
        ends_on=datetime.date(2024, 12, 31),
    )
    with pytest.raises(ValidationError) as error:
        services.hosting_create(
            actor=kansli,
            healthcare_region=mellansverige,
            program_area=npo,
            starts_on=datetime.date(2024, 6, 1),
        )
    assert error.value.message_dict == {
        "program_area": ["Programområdet har redan en värdsjukvårdsregion under den perioden."]
    }
    with pytest.raises(ValidationError) as error:
        services.hosting_create(
            actor=kansli,
            healthcare_region=mellansverige,
            program_area=npo,
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2025, 1, 1),
        )
    assert "ends_on" in error.value.error_dict
    hosting = services.hosting_create(
        actor=kansli,
        healthcare_region=mellansverige,
        program_area=npo,
        starts_on=datetime.date(2025, 1, 1),
    )
    assert hosting.events.get().pgh_context.metadata["user"] == kansli.pk
    assert Hosting.objects.count() == 2


def test_a_goal_may_not_use_a_programme_area_or_promise_of_another_healthcare_region(
    mellansverige, sodra
):
    with pytest.raises(ValidationError) as error:
        services.goal_create(
            actor=None,
            healthcare_region=mellansverige,
            title="Mål",
            program_area=RegionalGroupFactory(healthcare_region=sodra),
            promise=PatientPromiseFactory(healthcare_region=sodra),
        )
    assert set(error.value.error_dict) == {"program_area", "promise"}
    goal = GoalFactory(healthcare_region=mellansverige)
    with pytest.raises(ValidationError):
        services.goal_update(
            actor=None,
            goal=goal,
            fields={"program_area": RegionalGroupFactory(healthcare_region=sodra)},
        )
    goal.refresh_from_db()
    assert goal.program_area is None


def test_a_goal_and_an_indicator_need_their_text_fields(mellansverige):
    with pytest.raises(ValidationError) as error:
        services.goal_create(actor=None, healthcare_region=mellansverige, title="  ")
    assert "title" in error.value.error_dict
    goal = GoalFactory(healthcare_region=mellansverige)
    with pytest.raises(ValidationError) as error:
        services.indicator_create(actor=None, goal=goal, name="", unit="")
    assert set(error.value.error_dict) == {"name", "unit"}
    indicator = services.indicator_create(
        actor=None, goal=goal, name="Andel", unit="%", target=Decimal("80")
    )
    with pytest.raises(services.ConcurrentEditError):
        services.indicator_update(
            actor=None,
            indicator=indicator,
            fields={"target": None},
            expected_updated_at=indicator.updated_at - datetime.timedelta(seconds=1),
        )
