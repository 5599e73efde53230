import factory

from plans.models import Activity, ActivityPlan, FocusArea, OperationalPlan, PlanGoal, PlanSection
from tests.factories import HealthcareRegionFactory


class OperationalPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OperationalPlan

    healthcare_region = factory.SubFactory(HealthcareRegionFactory)
    title = factory.Sequence(lambda n: f"Verksamhetsplan {n}")
    start_year = 2021
    end_year = 2024


class PlanSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanSection

    plan = factory.SubFactory(OperationalPlanFactory)
    position = factory.Sequence(lambda n: n + 1)
    heading = factory.Sequence(lambda n: f"Avsnitt {n}")
    plan_text = "<p>Planens text.</p>"


class PlanGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanGoal

    section = factory.SubFactory(PlanSectionFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Mål {n}")


class ActivityPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityPlan

    operational_plan = factory.SubFactory(OperationalPlanFactory)
    healthcare_region = factory.SelfAttribute("operational_plan.healthcare_region")
    year = 2023
    title = "Aktivitetsplan 2023"


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusArea

    activity_plan = factory.SubFactory(ActivityPlanFactory)
    position = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Fokusområde {n}")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    focus_area = factory.SubFactory(FocusAreaFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Aktivitet {n}")
    description = "<p>Beskrivning.</p>"
