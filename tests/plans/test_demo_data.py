import pytest
from django.core.management import call_command
from django.urls import reverse

from plans.models import Activity, ActivityPlan, FocusArea, OperationalPlan, PlanState

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command(
        "loaddata", "regions.yaml", "governance.yaml", "knowledge.yaml", "plans.yaml", verbosity=0
    )


def test_mellansveriges_verksamhetsplan_has_its_introduction_and_15_points(demo):
    plan = OperationalPlan.objects.get(healthcare_region__slug="mellansverige")
    assert plan.period == "2021–2024"
    assert plan.state == PlanState.DECIDED
    assert (plan.decision.meeting.date.isoformat(), plan.decision.paragraph) == ("2020-10-02", 41)
    assert "Avtal om samverkan i Sjukvårdsregion Mellan" in plan.introduction
    goals = [g.text for s in plan.sections.all() for g in s.goals.all()]
    assert len(goals) == 15
    assert goals[0].startswith("Följa upp Avtal om sjukvårdsregional samverkan")
    assert goals[-1] == "Öka samverkan för att utveckla den Nära vården."


def test_the_aktivitetsplan_2023_has_every_activity_of_seed_002_under_its_focus_area(demo):
    plan = ActivityPlan.objects.get(healthcare_region__slug="mellansverige", year=2023)
    assert [f.name for f in FocusArea.objects.filter(activity_plan=plan)] == [
        "Verksamhet och utveckling",
        "Kunskapsstyrning",
        "Utbildning och kompetensförsörjning",
        "Digitalisering och e-hälsa",
        "Övriga samverkansfrågor som löpande initieras och hanteras",
    ]
    activities = Activity.objects.filter(focus_area__activity_plan=plan)
    assert activities.count() == 21
    production = activities.get(
        title="Utveckla och stärka produktionssamarbetet i sjukvårdsregionen"
    )
    assert production.responsible_body.name == "Produktionsplaneringsgruppen"
    follow_up = activities.get(title__startswith="Uppföljning och analys av medicinska resultat")
    assert follow_up.responsible_group.name == "Uppföljning och analys"


def test_the_aktivitetsplan_2023_is_decided_like_its_aterrapport_and_public(demo, client):
    plan = ActivityPlan.objects.get(healthcare_region__slug="mellansverige", year=2023)
    assert plan.state == PlanState.DECIDED
    meeting = plan.decision.meeting
    assert (meeting.date.isoformat(), plan.decision.paragraph) == ("2022-12-09", 61)
    assert meeting.body.name == "Samverkansnämnden" and meeting.is_published
    assert meeting.notes.startswith("Demodata:")
    assert client.get(plan.get_absolute_url()).status_code == 200


def test_sodras_verksamhetsplan_follows_the_agreements_paragraphs(demo):
    plan = OperationalPlan.objects.get(healthcare_region__slug="sodra")
    assert plan.decision.pk == 5
    numbers = [s.number for s in plan.sections.all()]
    assert numbers[0] == "2" and numbers[-1] == "8.8"
    assert len(numbers) == 15
    knowledge = plan.sections.get(number="8.3")
    assert knowledge.heading == "KUNSKAPSSTYRNING"
    assert knowledge.agreement_text.startswith("<p>Sveriges samtliga regioner")
    assert knowledge.goals.count() == 6


def test_load_demo_links_the_demo_decisions_to_the_plans_they_decide(db, client):
    call_command("load_demo", verbosity=0)
    mellansverige = OperationalPlan.objects.get(healthcare_region__slug="mellansverige")
    sodra = OperationalPlan.objects.get(healthcare_region__slug="sodra")
    assert (mellansverige.decision.pk, mellansverige.decision.subject) == (1, mellansverige)
    assert (sodra.decision.pk, sodra.decision.subject) == (5, sodra)
    activity_plan = ActivityPlan.objects.get(healthcare_region__slug="mellansverige", year=2023)
    assert (activity_plan.decision.pk, activity_plan.decision.subject) == (7, activity_plan)
    meeting = mellansverige.decision.meeting
    page = client.get(
        reverse("regions:meeting", kwargs={"hr": "mellansverige", "pk": meeting.pk})
    ).content.decode()
    link = f'<a href="{mellansverige.get_absolute_url()}">{mellansverige.title}</a>'
    assert f"Beslutet gäller: {link}" in page
    assert client.get(mellansverige.get_absolute_url()).status_code == 200


def test_load_demo_plans_may_run_twice(db):
    call_command("load_demo", verbosity=0)
    call_command("load_demo_plans", verbosity=0)
    assert OperationalPlan.objects.get(healthcare_region__slug="sodra").decision.subject_id
