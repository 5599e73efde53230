import pytest
from django.core.management import call_command

from knowledge.models import (
    Goal,
    Hosting,
    KnowledgeCouncil,
    NationalProgramArea,
    PatientPromise,
    RegionalGroup,
    RegionalGroupMembership,
)
from knowledge.search import knowledge_search
from regions.models import HealthcareRegion

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("loaddata", "regions.yaml", "governance.yaml", "knowledge.yaml", verbosity=0)


def test_the_demo_data_has_the_26_npo_and_their_hosts(demo):
    assert NationalProgramArea.objects.count() == 26
    hosts = {
        slug: Hosting.objects.filter(healthcare_region__slug=slug).count()
        for slug in ("mellansverige", "sydostra", "sodra")
    }
    assert hosts == {"mellansverige": 4, "sydostra": 3, "sodra": 4}
    assert Hosting.objects.filter(note__startswith="Demodata: vilka fyra").count() == 4


def test_the_demo_data_has_sydostras_structure_and_promises(demo):
    sydostra = RegionalGroup.objects.filter(healthcare_region__slug="sydostra")
    assert sydostra.filter(kind="rpo").count() == 24
    assert sydostra.filter(kind="rsg").count() == 9
    assert KnowledgeCouncil.objects.filter(healthcare_region__slug="sydostra").count() == 4
    assert sydostra.filter(note__contains="Nytt RMPO").count() == 7
    assert PatientPromise.objects.filter(healthcare_region__slug="sydostra").count() == 7
    assert Goal.objects.filter(program_area__name="Cancersjukdomar").count() == 6
    assert (
        RegionalGroup.objects.filter(healthcare_region__slug="sodra", state="planned").count() == 4
    )


def test_the_demo_group_lead_person_is_processledare_of_uppfoljning_och_analys(demo):
    membership = RegionalGroupMembership.objects.get(person_id=9001)
    assert membership.role == "processledare"
    assert membership.group.name == "Uppföljning och analys"
    assert membership.group.healthcare_region.slug == "mellansverige"
    assert membership.person.user is None  # load_demo links the demo user "gruppledare"


def test_the_search_examples_work_on_the_demo_data(demo, client):
    from django.contrib.auth.models import AnonymousUser

    sydostra = HealthcareRegion.objects.get(slug="sydostra")
    sodra = HealthcareRegion.objects.get(slug="sodra")
    assert knowledge_search(AnonymousUser(), sydostra, "cancer")[0].title == "Cancersjukdomar"
    assert [h.title for h in knowledge_search(AnonymousUser(), sodra, "kirurgi")] == [
        "Kirurgi och plastikkirurgi"
    ]
