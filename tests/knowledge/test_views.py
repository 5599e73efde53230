import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from core.tabular import ods_bytes
from knowledge.models import Goal, GroupKind, GroupRole, Hosting, IndicatorValue, RegionalGroup
from tests import ods
from tests.factories import RegionFactory
from tests.knowledge.factories import (
    CouncilMembershipFactory,
    GoalFactory,
    GroupMembershipFactory,
    HostingFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    KnowledgeCouncilFactory,
    NationalProgramAreaFactory,
    PatientPromiseFactory,
    RegionalGroupFactory,
)

pytestmark = pytest.mark.django_db
HR = {"hr": "mellansverige"}


def url(name, **kwargs):
    return reverse(f"knowledge:{name}", kwargs={**HR, **kwargs})


def _queries(client, address):
    client.get(address)  # the user's permissions into the cache (regions.user_cache)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(address)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_structure_page_is_a_tree_of_councils_and_groups_with_state_tags(client, mellansverige):
    council = KnowledgeCouncilFactory(healthcare_region=mellansverige, name="Kirurgi och cancer")
    area = RegionalGroupFactory(
        healthcare_region=mellansverige, name="Cancersjukdomar", council=council
    )
    RegionalGroupFactory(
        healthcare_region=mellansverige,
        kind=GroupKind.WORKING_GROUP,
        name="Bröstcancer",
        parent=area,
    )
    RegionalGroupFactory(
        healthcare_region=mellansverige,
        kind=GroupKind.COLLABORATION,
        name="Forskning",
        state=RegionalGroup.State.PLANNED,
    )
    page = client.get(url("section")).content.decode()
    assert 'class="tree"' in page
    assert (
        page.index("Kunskapsråd Kirurgi och cancer")
        < page.index("Cancersjukdomar")
        < page.index("Bröstcancer")
    )
    assert '<span class="tag">Ska bildas</span>' in page


def test_the_national_page_shows_every_npo_with_its_host(client, mellansverige, sodra):
    hosted = NationalProgramAreaFactory(name="Akut vård")
    HostingFactory(program_area=hosted, healthcare_region=sodra)
    NationalProgramAreaFactory(name="Tandvård")
    page = client.get(url("national")).content.decode()
    assert "Akut vård" in page and "Södra sjukvårdsregionen" in page
    assert "Ej angivet" in page


def test_the_group_page_shows_uppdrag_members_by_region_and_leads(client, rsg, uppsala, dalarna):
    GroupMembershipFactory(
        group=rsg,
        region=dalarna,
        role=GroupRole.CHAIR,
        person__first_name="Olle",
        person__last_name="Exempelsson",
    )
    page = client.get(rsg.get_absolute_url()).content.decode()
    assert "<p>Stödja NPO.</p>" in page
    assert "Olle Exempelsson (Dalarna)" in page
    assert "Greta Provström (Uppsala)" in page
    assert page.index("Region Uppsala") < page.index("Region Dalarna")


def test_kansli_creates_a_group_and_adds_a_member(client, kansli, mellansverige, uppsala):
    client.force_login(kansli)
    response = client.post(
        url("group_create"),
        {
            "kind": "rsg",
            "name": "Kvalitetsregister",
            "state": "active",
            "mandate": "<p>Stödja</p><script>x</script>",
        },
    )
    group = RegionalGroup.objects.get(name="Kvalitetsregister")
    assert response.status_code == 302 and response["Location"] == group.get_absolute_url()
    assert group.mandate == "<p>Stödja</p>"
    response = client.post(
        url("group_membership_create", pk=group.pk),
        {
            "first_name": "Karin",
            "last_name": "Provström",
            "region": uppsala.pk,
            "role": "ordforande",
            "starts_on": "2025-01-01",
        },
    )
    assert response.status_code == 302
    assert "Karin Provström" in client.get(group.get_absolute_url()).content.decode()


def test_a_group_form_with_errors_keeps_what_was_typed(client, kansli, mellansverige):
    client.force_login(kansli)
    response = client.post(
        url("group_create"), {"kind": "rsg", "name": "Gammal", "state": "closed"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ange när gruppen avslutades." in page
    assert 'value="Gammal"' in page


def test_the_group_lead_edits_the_uppdrag_of_their_group(client, group_lead, rsg):
    client.force_login(group_lead)
    response = client.post(
        url("group_mandate", pk=rsg.pk),
        {
            "mandate": '<p>Nytt <em>uppdrag</em></p><img src=x onerror="alert(1)">',
            "loaded_version": rsg.updated_at.isoformat(),
        },
    )
    assert response.status_code == 302
    rsg.refresh_from_db()
    assert rsg.mandate == "<p>Nytt <em>uppdrag</em></p>"


def test_a_lead_of_another_group_gets_403(client, other_group_lead, rsg):
    client.force_login(other_group_lead)
    assert client.get(url("group_mandate", pk=rsg.pk)).status_code == 403
    assert client.post(url("group_mandate", pk=rsg.pk), {"mandate": "x"}).status_code == 403


def test_a_group_of_sodra_is_not_found_under_mellansverige(client, kansli, sodra, mellansverige):
    group = RegionalGroupFactory(healthcare_region=sodra)
    client.force_login(kansli)
    assert client.get(url("group", pk=group.pk)).status_code == 404


def test_kansli_creates_a_council_with_its_programme_areas(client, kansli, mellansverige):
    areas = [RegionalGroupFactory(healthcare_region=mellansverige) for _ in range(2)]
    client.force_login(kansli)
    response = client.post(
        url("council_create"),
        {
            "name": "Medicin och akut vård",
            "rotation_years": 2,
            "rotates_leadership": "on",
            "groups": [a.pk for a in areas],
        },
    )
    assert response.status_code == 302
    assert {a.council.name for a in RegionalGroup.objects.filter(pk__in=[a.pk for a in areas])} == {
        "Medicin och akut vård"
    }


def test_the_structure_page_runs_the_same_queries_for_few_or_many_groups(
    client, kansli, mellansverige
):
    client.force_login(kansli)
    council = KnowledgeCouncilFactory(healthcare_region=mellansverige)
    RegionalGroupFactory(healthcare_region=mellansverige, council=council)
    small = _queries(client, url("section"))
    for _i in range(20):
        parent = RegionalGroupFactory(
            healthcare_region=mellansverige,
            council=council,
            national_program_area=NationalProgramAreaFactory(),
        )
        RegionalGroupFactory(
            healthcare_region=mellansverige, kind=GroupKind.WORKING_GROUP, parent=parent
        )
        KnowledgeCouncilFactory(healthcare_region=mellansverige)
        HostingFactory(healthcare_region=mellansverige)
    assert _queries(client, url("section")) == small
    assert small == 6


def test_the_group_page_runs_the_same_queries_for_few_or_many_members(
    client, kansli, rsg, mellansverige
):
    client.force_login(kansli)
    regions = [RegionFactory(healthcare_region=mellansverige) for _ in range(4)]
    GroupMembershipFactory(group=rsg, region=regions[0])
    small = _queries(client, rsg.get_absolute_url())
    for i in range(40):
        GroupMembershipFactory(group=rsg, region=regions[i % 4])
    assert _queries(client, rsg.get_absolute_url()) == small
    assert small == 7


def test_the_goal_page_has_a_chart_and_the_same_numbers_in_a_table(
    client, mellansverige, uppsala, dalarna
):
    indicator = IndicatorFactory(
        goal__healthcare_region=mellansverige,
        target=80,
        name="Behandling inom fyra veckor",
        source="Demodata",
    )
    IndicatorValueFactory(indicator=indicator, region=uppsala, year=2022, value="78.5")
    IndicatorValueFactory(indicator=indicator, region=uppsala, year=2023, value="82")
    IndicatorValueFactory(indicator=indicator, region=dalarna, year=2023, value="70")
    page = client.get(indicator.goal.get_absolute_url()).content.decode()
    assert 'role="img"' in page and "aria-labelledby=" in page and "<desc " in page
    assert "78,5" in page
    assert "Ja (2023)" in page and "Nej (2023)" in page
    assert "Demodata" in page


def test_an_unpublished_goal_is_hidden_from_the_public(client, board_member, mellansverige):
    goal = GoalFactory(healthcare_region=mellansverige, is_published=False)
    assert client.get(goal.get_absolute_url()).status_code == 404
    client.force_login(board_member)
    assert client.get(goal.get_absolute_url()).status_code == 200


def test_kansli_enters_a_value_with_a_decimal_comma(client, kansli, mellansverige, uppsala):
    indicator = IndicatorFactory(goal__healthcare_region=mellansverige)
    client.force_login(kansli)
    response = client.post(
        url("indicator_value_create", pk=indicator.pk),
        {"region": uppsala.pk, "year": 2024, "value": "72,5"},
    )
    assert response.status_code == 302
    assert str(IndicatorValue.objects.get().value) == "72.50"


def test_the_goals_page_lists_the_promises_in_order(client, mellansverige):
    PatientPromiseFactory(
        healthcare_region=mellansverige, position=2, text="få tillgång till jämlik vård"
    )
    PatientPromiseFactory(
        healthcare_region=mellansverige, position=1, text="erbjudas vård som är lätt tillgänglig"
    )
    page = client.get(url("goals")).content.decode()
    assert page.index("lätt tillgänglig") < page.index("jämlik vård")


# Upload ------------------------------------------------------------------------------


@pytest.fixture
def indicator(mellansverige):
    return IndicatorFactory(goal__healthcare_region=mellansverige)


def _upload(client, indicator, name, content):
    return client.post(
        url("indicator_upload", pk=indicator.pk), {"file": SimpleUploadedFile(name, content)}
    )


def test_a_semicolon_csv_with_decimal_commas_is_read(client, kansli, indicator, uppsala, dalarna):
    client.force_login(kansli)
    content = "region;år;värde\n03;2023;71,5\nRegion Dalarna;2023;68\n".encode()
    response = _upload(client, indicator, "varden.csv", content)
    assert response.status_code == 302
    assert {(v.region.scb_code, str(v.value)) for v in IndicatorValue.objects.all()} == {
        ("03", "71.50"),
        ("20", "68.00"),
    }


def test_a_comma_separated_cp1252_csv_is_read(client, kansli, indicator, uppsala):
    client.force_login(kansli)
    content = 'Region,År,Värde\nUppsala,2022,"70,25"\n'.encode("cp1252")
    assert _upload(client, indicator, "v.csv", content).status_code == 302
    assert str(IndicatorValue.objects.get().value) == "70.25"


def test_an_xlsx_file_is_read(client, kansli, indicator, uppsala):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["region", "år", "värde"])
    sheet.append(["03", 2023, 66.5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(kansli)
    assert _upload(client, indicator, "v.xlsx", buffer.getvalue()).status_code == 302
    assert str(IndicatorValue.objects.get().value) == "66.50"


def test_every_bad_row_is_reported_and_nothing_is_written(
    client, kansli, indicator, uppsala, skane
):
    client.force_login(kansli)
    content = (
        "region;år;värde\n"
        "03;2023;70\n"  # fine, but must not be written
        "03;20x3;71\n"  # bad year
        "Region Skåne;2023;5\n"  # region of another sjukvårdsregion
        "99;2023;5\n"  # unknown region
        "03;2022;mycket\n"  # not a number
        "03;2023;72\n"
    ).encode()  # duplicate of row 2
    response = _upload(client, indicator, "v.csv", content)
    errors = response.context["errors"]
    assert response.status_code == 200
    assert [(e.row, e.column, e.value) for e in errors] == [
        (3, "år", "20x3"),
        (4, "region", "Region Skåne"),
        (5, "region", "99"),
        (6, "värde", "mycket"),
        (7, "region", "03 2023"),
    ]
    page = response.content.decode()
    assert "Året ska vara ett årtal" in page and "Samma region och år finns redan på rad 2" in page
    assert "Ingenting har sparats" in page
    assert not IndicatorValue.objects.exists()


def test_an_empty_file_is_refused(client, kansli, indicator):
    client.force_login(kansli)
    response = _upload(client, indicator, "v.csv", b"region;\xc3\xa5r;v\xc3\xa4rde\n")
    assert "inga rader med värden" in response.content.decode()
    response = _upload(client, indicator, "tom.csv", b" \n")
    assert response.status_code == 200
    assert not IndicatorValue.objects.exists()


def test_a_file_of_the_wrong_type_is_refused(client, kansli, indicator):
    client.force_login(kansli)
    response = _upload(client, indicator, "v.pdf", b"%PDF-1.7")
    assert "Filtypen stöds inte" in response.content.decode()
    response = _upload(client, indicator, "v.xlsx", b"region;ar;varde")
    assert "inte en Excelfil" in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_a_missing_column_is_named(client, kansli, indicator):
    client.force_login(kansli)
    response = _upload(client, indicator, "v.csv", "region;år\n03;2023\n".encode())
    assert "Kolumnen ”värde” saknas" in response.content.decode()


# Search ------------------------------------------------------------------------------


def test_search_finds_compounds_cancer_and_kirurgi(client, mellansverige):
    RegionalGroupFactory(healthcare_region=mellansverige, name="Cancersjukdomar")
    RegionalGroupFactory(healthcare_region=mellansverige, name="Kirurgi och plastikkirurgi")
    RegionalGroupFactory(healthcare_region=mellansverige, name="Tandvård")
    hits = client.get(url("search"), {"q": "cancer"}).context["hits"]
    assert [h.title for h in hits] == ["Cancersjukdomar"]
    hits = client.get(url("search"), {"q": "kirurgi"}).context["hits"]
    assert [h.title for h in hits] == ["Kirurgi och plastikkirurgi"]


def test_search_ranks_and_covers_promises_and_goals(client, mellansverige):
    PatientPromiseFactory(healthcare_region=mellansverige, text="få tillgång till jämlik vård")
    GoalFactory(healthcare_region=mellansverige, title="Jämlik cancervård")
    titles = [h.title for h in client.get(url("search"), {"q": "jämlik"}).context["hits"]]
    assert set(titles) == {"få tillgång till jämlik vård", "Jämlik cancervård"}


def test_search_shows_only_what_the_user_may_see(client, board_member, mellansverige, sodra):
    GoalFactory(healthcare_region=mellansverige, title="Screening utkast", is_published=False)
    RegionalGroupFactory(healthcare_region=sodra, name="Screening i Södra")
    assert client.get(url("search"), {"q": "screening"}).context["hits"] == []
    client.force_login(board_member)
    hits = client.get(url("search"), {"q": "screening"}).context["hits"]
    assert [h.title for h in hits] == ["Screening utkast"]


def test_search_survives_tsquery_syntax(client, mellansverige):
    assert client.get(url("search"), {"q": "a & | ! :* ( '"}).status_code == 200


def test_an_ended_member_is_not_listed(client, rsg, dalarna):
    GroupMembershipFactory(
        group=rsg, region=dalarna, person__last_name="Avgången", ends_on=datetime.date(2024, 1, 1)
    )
    assert "Avgången" not in client.get(rsg.get_absolute_url()).content.decode()


# Header search -----------------------------------------------------------------------


def _header_search(page: str) -> str:
    start = page.index('<form class="header-search"')
    return page[start : page.index("</form>", start)]


def test_the_header_has_a_search_form_pointing_to_the_search_on_a_healthcare_region_page(
    client, mellansverige
):
    page = client.get(reverse("regions:healthcare_region", kwargs=HR)).content.decode()
    form = _header_search(page)
    assert 'role="search"' in form and 'aria-label="Sök"' in form
    assert f'action="{url("search")}"' in form and 'method="get"' in form
    assert 'type="search"' in form and 'name="q"' in form
    assert '<label class="visually-hidden" for="header-search-q">' in form
    assert '<button type="submit" class="header-search__button">Sök</button>' in form


def test_the_header_search_is_absent_outside_a_healthcare_region(client, mellansverige):
    assert 'class="header-search"' not in client.get(reverse("start")).content.decode()


def test_the_search_results_page_shows_the_query_in_the_header_box(client, mellansverige):
    page = client.get(url("search"), {"q": "cancer <b>"}).content.decode()
    assert 'value="cancer &lt;b&gt;"' in _header_search(page)


# Ending a council membership ---------------------------------------------------------


@pytest.fixture
def council_member(mellansverige, uppsala):
    council = KnowledgeCouncilFactory(healthcare_region=mellansverige, name="Kirurgi och cancer")
    return CouncilMembershipFactory(
        council=council,
        region=uppsala,
        starts_on=datetime.date(2024, 1, 1),
        person__first_name="Kim",
        person__last_name="Rådsson",
    )


def test_kansli_ends_a_council_membership_from_the_council_page(client, kansli, council_member):
    client.force_login(kansli)
    page = client.get(council_member.council.get_absolute_url()).content.decode()
    end_url = url("council_membership_end", pk=council_member.pk)
    assert f'href="{end_url}"' in page
    response = client.post(end_url, {"ends_on": "2025-06-30"})
    assert response.status_code == 302
    assert response["Location"] == council_member.council.get_absolute_url()
    council_member.refresh_from_db()
    assert council_member.ends_on == datetime.date(2025, 6, 30)


def test_ending_a_council_membership_without_a_date_or_before_it_began_writes_nothing(
    client, kansli, council_member
):
    client.force_login(kansli)
    end_url = url("council_membership_end", pk=council_member.pk)
    page = client.post(end_url, {}).content.decode()
    assert "Formuläret kunde inte sparas" in page and "Detta fält måste fyllas i." in page
    page = client.post(end_url, {"ends_on": "2023-12-31"}).content.decode()
    assert "Uppdraget kan inte sluta före det började (2024-01-01)." in page
    council_member.refresh_from_db()
    assert council_member.ends_on is None


def test_a_council_membership_of_sodra_is_not_found_under_mellansverige(client, kansli, sodra):
    other = CouncilMembershipFactory(council__healthcare_region=sodra)
    client.force_login(kansli)
    assert client.get(url("council_membership_end", pk=other.pk)).status_code == 404
    assert (
        client.post(
            url("council_membership_end", pk=other.pk), {"ends_on": "2025-01-01"}
        ).status_code
        == 404
    )
    other.refresh_from_db()
    assert other.ends_on is None


# Goals and indicators ----------------------------------------------------------------


@pytest.fixture
def cancer(mellansverige):
    return RegionalGroupFactory(healthcare_region=mellansverige, name="Cancersjukdomar")


def test_kansli_creates_a_goal_under_a_promise_and_a_programme_area(
    client, kansli, cancer, mellansverige
):
    promise = PatientPromiseFactory(healthcare_region=mellansverige)
    client.force_login(kansli)
    assert f'href="{url("goal_create")}"' in client.get(url("goals")).content.decode()
    response = client.post(
        url("goal_create"),
        {
            "title": " Behandling inom fyra veckor ",
            "program_area": cancer.pk,
            "promise": promise.pk,
            "description": "Från remiss till behandling.",
            "is_published": "on",
        },
    )
    goal = Goal.objects.get()
    assert response.status_code == 302 and response["Location"] == goal.get_absolute_url()
    assert (goal.title, goal.program_area, goal.promise, goal.healthcare_region) == (
        "Behandling inom fyra veckor",
        cancer,
        promise,
        mellansverige,
    )
    assert goal.events.count() == 1


def test_a_goal_without_a_title_is_refused_and_keeps_what_was_typed(client, kansli, cancer):
    client.force_login(kansli)
    response = client.post(url("goal_create"), {"description": "Utkast till mål"})
    page = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#id_title">Mål: Detta fält måste fyllas i.</a>' in page
    assert "Utkast till mål" in page
    assert not Goal.objects.exists()


def test_a_goal_may_not_point_to_a_programme_area_or_promise_of_another_healthcare_region(
    client, kansli, mellansverige, sodra
):
    foreign_area = RegionalGroupFactory(healthcare_region=sodra, name="Akut vård")
    foreign_promise = PatientPromiseFactory(healthcare_region=sodra)
    client.force_login(kansli)
    response = client.post(
        url("goal_create"),
        {
            "title": "Kortare väntetider",
            "program_area": foreign_area.pk,
            "promise": foreign_promise.pk,
        },
    )
    errors = response.context["form"].errors
    assert set(errors) == {"program_area", "promise"}
    assert "Välj ett giltigt alternativ" in errors["program_area"][0]
    assert not Goal.objects.exists()


def test_kansli_edits_a_goal_and_a_stale_edit_is_refused(client, kansli, cancer, mellansverige):
    goal = GoalFactory(healthcare_region=mellansverige, title="Gammal rubrik")
    loaded = goal.updated_at.isoformat()
    client.force_login(kansli)
    assert (
        f'href="{url("goal_update", pk=goal.pk)}"'
        in client.get(goal.get_absolute_url()).content.decode()
    )
    response = client.post(
        url("goal_update", pk=goal.pk),
        {
            "title": "Ny rubrik",
            "program_area": cancer.pk,
            "is_published": "on",
            "loaded_version": loaded,
        },
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.title, goal.program_area) == ("Ny rubrik", cancer)
    response = client.post(
        url("goal_update", pk=goal.pk),
        {"title": "Tredje rubrik", "is_published": "on", "loaded_version": loaded},
    )
    assert response.status_code == 200
    assert "Någon annan har ändrat målet" in response.content.decode()
    goal.refresh_from_db()
    assert goal.title == "Ny rubrik"


def test_a_goal_of_sodra_cannot_be_edited_or_given_an_indicator_under_mellansverige(
    client, kansli, sodra, mellansverige
):
    goal = GoalFactory(healthcare_region=sodra, title="Södras mål")
    client.force_login(kansli)
    assert client.post(url("goal_update", pk=goal.pk), {"title": "Kapat"}).status_code == 404
    assert (
        client.post(url("indicator_create", pk=goal.pk), {"name": "x", "unit": "%"}).status_code
        == 404
    )
    goal.refresh_from_db()
    assert goal.title == "Södras mål" and not goal.indicators.exists()


def test_kansli_adds_an_indicator_with_a_decimal_comma_target(client, kansli, mellansverige):
    goal = GoalFactory(healthcare_region=mellansverige)
    client.force_login(kansli)
    assert (
        f'href="{url("indicator_create", pk=goal.pk)}"'
        in client.get(goal.get_absolute_url()).content.decode()
    )
    response = client.post(
        url("indicator_create", pk=goal.pk),
        {"name": "Väntetid till behandling", "unit": "dagar", "target": "28,5", "source": "INCA"},
    )
    assert response.status_code == 302 and response["Location"] == goal.get_absolute_url()
    indicator = goal.indicators.get()
    assert (indicator.name, indicator.unit, str(indicator.target), indicator.higher_is_better) == (
        "Väntetid till behandling",
        "dagar",
        "28.50",
        False,
    )


def test_an_indicator_without_name_and_unit_or_with_a_bad_target_is_refused(
    client, kansli, mellansverige
):
    goal = GoalFactory(healthcare_region=mellansverige)
    client.force_login(kansli)
    response = client.post(url("indicator_create", pk=goal.pk), {"target": "mycket"})
    errors = response.context["form"].errors
    assert set(errors) == {"name", "unit", "target"}
    assert errors["target"] == ["Fyll i ett tal."]
    assert not goal.indicators.exists()


def test_kansli_edits_an_indicator(client, kansli, mellansverige):
    indicator = IndicatorFactory(goal__healthcare_region=mellansverige, target=80)
    client.force_login(kansli)
    assert (
        f'href="{url("indicator_update", pk=indicator.pk)}"'
        in client.get(indicator.goal.get_absolute_url()).content.decode()
    )
    response = client.post(
        url("indicator_update", pk=indicator.pk),
        {
            "name": "Andel inom fyra veckor",
            "unit": "%",
            "higher_is_better": "on",
            "target": "",
            "loaded_version": indicator.updated_at.isoformat(),
        },
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.name, indicator.target) == ("Andel inom fyra veckor", None)


# Värdskap ----------------------------------------------------------------------------


def test_kansli_records_a_hosting_of_their_own_healthcare_region(
    client, kansli, mellansverige, sodra
):
    npo = NationalProgramAreaFactory(name="Rörelseorganens sjukdomar")
    client.force_login(kansli)
    assert f'href="{url("hosting_create")}"' in client.get(url("section")).content.decode()
    # A forged healthcare_region is no field of the form: the hosting is Mellansverige's.
    response = client.post(
        url("hosting_create"),
        {
            "program_area": npo.pk,
            "starts_on": "2024-01-01",
            "note": "Delat med Norra",
            "healthcare_region": sodra.pk,
        },
    )
    assert response.status_code == 302 and response["Location"] == url("section")
    hosting = Hosting.objects.get()
    assert (hosting.program_area, hosting.healthcare_region, hosting.note) == (
        npo,
        mellansverige,
        "Delat med Norra",
    )
    page = client.get(url("section")).content.decode()
    assert "Rörelseorganens sjukdomar" in page and "sedan 2024-01-01" in page


def test_a_hosting_overlapping_another_host_or_ending_before_it_starts_writes_nothing(
    client, kansli, mellansverige, sodra
):
    npo = NationalProgramAreaFactory()
    HostingFactory(program_area=npo, healthcare_region=sodra, starts_on=datetime.date(2023, 1, 1))
    client.force_login(kansli)
    response = client.post(
        url("hosting_create"), {"program_area": npo.pk, "starts_on": "2024-01-01"}
    )
    assert response.status_code == 200
    assert (
        "Programområdet har redan en värdsjukvårdsregion under den perioden."
        in response.content.decode()
    )
    response = client.post(
        url("hosting_create"),
        {"program_area": npo.pk, "starts_on": "2020-01-01", "ends_on": "2019-12-31"},
    )
    assert "Slutdatumet kan inte vara före startdatumet." in response.content.decode()
    response = client.post(url("hosting_create"), {})
    assert set(response.context["form"].errors) == {"program_area", "starts_on"}
    assert list(Hosting.objects.values_list("healthcare_region", flat=True)) == [sodra.pk]


def test_an_ods_file_of_values_is_read_exactly(client, kansli, indicator, uppsala, dalarna):
    client.force_login(kansli)
    content = ods.workbook(
        (
            "Värden",
            [
                ["Indikatorvärden 2023"],
                ["region", "år", "värde"],
                ["03", 2023, Decimal("71.25")],
                ["Region Dalarna", 2023, 68],
            ],
        )
    )
    assert _upload(client, indicator, "varden.ods", content).status_code == 302
    assert {(v.region.scb_code, v.year, str(v.value)) for v in IndicatorValue.objects.all()} == {
        ("03", 2023, "71.25"),
        ("20", 2023, "68.00"),
    }


def test_values_written_as_ods_read_back_unchanged(client, kansli, indicator, uppsala):
    client.force_login(kansli)
    content = ods_bytes([("Värden", ["region", "år", "värde"], [["03", 2022, Decimal("0.5")]])])
    assert _upload(client, indicator, "varden.ods", content).status_code == 302
    assert str(IndicatorValue.objects.get().value) == "0.50"


def test_a_hostile_ods_of_values_is_refused_and_writes_nothing(client, kansli, indicator, uppsala):
    prolog = '<!DOCTYPE office:document-content [<!ENTITY a "aaaaaaaaaa">]>'
    content = ods.ods(ods.content(ods.sheet("V", [["region", "år", "värde"]]), prolog=prolog))
    client.force_login(kansli)
    response = _upload(client, indicator, "varden.ods", content)
    assert response.status_code == 200
    assert "DTD" in " ".join(e.message for e in response.context["errors"])
    assert not IndicatorValue.objects.exists()
