import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from knowledge.models import GroupKind, GroupRole, IndicatorValue, RegionalGroup
from tests.factories import RegionFactory
from tests.knowledge.factories import (
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
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(address)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_structure_page_is_a_tree_of_councils_and_groups_with_state_tags(client, mellansverige):
    council = KnowledgeCouncilFactory(healthcare_region=mellansverige, name="Kirurgi och cancer")
    area = RegionalGroupFactory(healthcare_region=mellansverige, name="Cancersjukdomar",
                                council=council)
    RegionalGroupFactory(healthcare_region=mellansverige, kind=GroupKind.WORKING_GROUP,
                         name="Bröstcancer", parent=area)
    RegionalGroupFactory(healthcare_region=mellansverige, kind=GroupKind.COLLABORATION,
                         name="Forskning", state=RegionalGroup.State.PLANNED)
    page = client.get(url("section")).content.decode()
    assert 'class="tree"' in page
    assert page.index("Kunskapsråd Kirurgi och cancer") < page.index("Cancersjukdomar") \
        < page.index("Bröstcancer")
    assert '<span class="tag">Ska bildas</span>' in page


def test_the_national_page_shows_every_npo_with_its_host(client, mellansverige, sodra):
    hosted = NationalProgramAreaFactory(name="Akut vård")
    HostingFactory(program_area=hosted, healthcare_region=sodra)
    NationalProgramAreaFactory(name="Tandvård")
    page = client.get(url("national")).content.decode()
    assert "Akut vård" in page and "Södra sjukvårdsregionen" in page
    assert "Ej angivet" in page


def test_the_group_page_shows_uppdrag_members_by_region_and_leads(client, rsg, uppsala, dalarna):
    GroupMembershipFactory(group=rsg, region=dalarna, role=GroupRole.CHAIR,
                           person__first_name="Olle", person__last_name="Exempelsson")
    page = client.get(rsg.get_absolute_url()).content.decode()
    assert "<p>Stödja NPO.</p>" in page
    assert "Olle Exempelsson (Dalarna)" in page
    assert "Greta Provström (Uppsala)" in page
    assert page.index("Region Uppsala") < page.index("Region Dalarna")


def test_kansli_creates_a_group_and_adds_a_member(client, kansli, mellansverige, uppsala):
    client.force_login(kansli)
    response = client.post(url("group_create"), {
        "kind": "rsg", "name": "Kvalitetsregister", "state": "active",
        "mandate": "<p>Stödja</p><script>x</script>",
    })
    group = RegionalGroup.objects.get(name="Kvalitetsregister")
    assert response.status_code == 302 and response["Location"] == group.get_absolute_url()
    assert group.mandate == "<p>Stödja</p>"
    response = client.post(url("group_membership_create", pk=group.pk), {
        "first_name": "Karin", "last_name": "Provström", "region": uppsala.pk,
        "role": "ordforande", "starts_on": "2025-01-01",
    })
    assert response.status_code == 302
    assert "Karin Provström" in client.get(group.get_absolute_url()).content.decode()


def test_a_group_form_with_errors_keeps_what_was_typed(client, kansli, mellansverige):
    client.force_login(kansli)
    response = client.post(url("group_create"), {"kind": "rsg", "name": "Gammal",
                                                 "state": "closed"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ange när gruppen avslutades." in page
    assert 'value="Gammal"' in page


def test_the_group_lead_edits_the_uppdrag_of_their_group(client, group_lead, rsg):
    client.force_login(group_lead)
    response = client.post(url("group_mandate", pk=rsg.pk), {
        "mandate": '<p>Nytt <em>uppdrag</em></p><img src=x onerror="alert(1)">',
        "loaded_version": rsg.updated_at.isoformat(),
    })
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
    response = client.post(url("council_create"), {
        "name": "Medicin och akut vård", "rotation_years": 2, "rotates_leadership": "on",
        "groups": [a.pk for a in areas]})
    assert response.status_code == 302
    assert {a.council.name for a in RegionalGroup.objects.filter(pk__in=[a.pk for a in areas])} \
        == {"Medicin och akut vård"}


def test_the_structure_page_runs_the_same_queries_for_few_or_many_groups(client, kansli,
                                                                          mellansverige):
    client.force_login(kansli)
    council = KnowledgeCouncilFactory(healthcare_region=mellansverige)
    RegionalGroupFactory(healthcare_region=mellansverige, council=council)
    small = _queries(client, url("section"))
    for _i in range(20):
        parent = RegionalGroupFactory(healthcare_region=mellansverige, council=council,
                                      national_program_area=NationalProgramAreaFactory())
        RegionalGroupFactory(healthcare_region=mellansverige, kind=GroupKind.WORKING_GROUP,
                             parent=parent)
        KnowledgeCouncilFactory(healthcare_region=mellansverige)
        HostingFactory(healthcare_region=mellansverige)
    assert _queries(client, url("section")) == small
    assert small == 10


def test_the_group_page_runs_the_same_queries_for_few_or_many_members(client, kansli, rsg,
                                                                      mellansverige):
    client.force_login(kansli)
    regions = [RegionFactory(healthcare_region=mellansverige) for _ in range(4)]
    GroupMembershipFactory(group=rsg, region=regions[0])
    small = _queries(client, rsg.get_absolute_url())
    for i in range(40):
        GroupMembershipFactory(group=rsg, region=regions[i % 4])
    assert _queries(client, rsg.get_absolute_url()) == small
    assert small == 10


def test_the_goal_page_has_a_chart_and_the_same_numbers_in_a_table(client, mellansverige,
                                                                  uppsala, dalarna):
    indicator = IndicatorFactory(goal__healthcare_region=mellansverige, target=80,
                                 name="Behandling inom fyra veckor", source="Demodata")
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
    response = client.post(url("indicator_value_create", pk=indicator.pk),
                           {"region": uppsala.pk, "year": 2024, "value": "72,5"})
    assert response.status_code == 302
    assert str(IndicatorValue.objects.get().value) == "72.50"


def test_the_goals_page_lists_the_promises_in_order(client, mellansverige):
    PatientPromiseFactory(healthcare_region=mellansverige, position=2, text="få tillgång till jämlik vård")
    PatientPromiseFactory(healthcare_region=mellansverige, position=1,
                          text="erbjudas vård som är lätt tillgänglig")
    page = client.get(url("goals")).content.decode()
    assert page.index("lätt tillgänglig") < page.index("jämlik vård")


# Upload ------------------------------------------------------------------------------


@pytest.fixture
def indicator(mellansverige):
    return IndicatorFactory(goal__healthcare_region=mellansverige)


def _upload(client, indicator, name, content):
    return client.post(url("indicator_upload", pk=indicator.pk),
                       {"file": SimpleUploadedFile(name, content)})


def test_a_semicolon_csv_with_decimal_commas_is_read(client, kansli, indicator, uppsala, dalarna):
    client.force_login(kansli)
    content = "region;år;värde\n03;2023;71,5\nRegion Dalarna;2023;68\n".encode()
    response = _upload(client, indicator, "varden.csv", content)
    assert response.status_code == 302
    assert {(v.region.scb_code, str(v.value)) for v in IndicatorValue.objects.all()} == {
        ("03", "71.50"), ("20", "68.00")}


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


def test_every_bad_row_is_reported_and_nothing_is_written(client, kansli, indicator, uppsala,
                                                         skane):
    client.force_login(kansli)
    content = ("region;år;värde\n"
               "03;2023;70\n"        # fine, but must not be written
               "03;20x3;71\n"        # bad year
               "Region Skåne;2023;5\n"  # region of another sjukvårdsregion
               "99;2023;5\n"         # unknown region
               "03;2022;mycket\n"    # not a number
               "03;2023;72\n").encode()  # duplicate of row 2
    response = _upload(client, indicator, "v.csv", content)
    errors = response.context["errors"]
    assert response.status_code == 200
    assert [(e.row, e.column, e.value) for e in errors] == [
        (3, "år", "20x3"), (4, "region", "Region Skåne"), (5, "region", "99"),
        (6, "värde", "mycket"), (7, "region", "03 2023")]
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
    GroupMembershipFactory(group=rsg, region=dalarna, person__last_name="Avgången",
                           ends_on=datetime.date(2024, 1, 1))
    assert "Avgången" not in client.get(rsg.get_absolute_url()).content.decode()

# Header search -----------------------------------------------------------------------


def _header_search(page: str) -> str:
    start = page.index('<form class="header-search"')
    return page[start:page.index("</form>", start)]


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

