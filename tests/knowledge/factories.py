import datetime

import factory

from knowledge.models import (
    Goal,
    GroupKind,
    GroupRole,
    Hosting,
    Indicator,
    IndicatorValue,
    KnowledgeCouncil,
    KnowledgeCouncilMembership,
    NationalGroup,
    NationalProgramArea,
    PatientPromise,
    RegionalGroup,
    RegionalGroupMembership,
)
from tests.factories import HealthcareRegionFactory, PersonFactory, RegionFactory


class NationalProgramAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NationalProgramArea
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"npo-{n}")
    name = factory.Sequence(lambda n: f"Programområde {n}")


class NationalGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NationalGroup
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"nsg-{n}")
    name = factory.Sequence(lambda n: f"Samverkansgrupp {n}")


class HostingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hosting

    program_area = factory.SubFactory(NationalProgramAreaFactory)
    healthcare_region = factory.SubFactory(HealthcareRegionFactory)
    starts_on = datetime.date(2019, 1, 1)


class KnowledgeCouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KnowledgeCouncil

    healthcare_region = factory.SubFactory(HealthcareRegionFactory)
    name = factory.Sequence(lambda n: f"Kunskapsråd {n}")


class RegionalGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionalGroup

    healthcare_region = factory.SubFactory(HealthcareRegionFactory)
    kind = GroupKind.PROGRAM_AREA
    name = factory.Sequence(lambda n: f"Område {n}")


class GroupMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionalGroupMembership

    group = factory.SubFactory(RegionalGroupFactory)
    person = factory.SubFactory(PersonFactory)
    region = factory.SubFactory(
        RegionFactory, healthcare_region=factory.SelfAttribute("..group.healthcare_region")
    )
    role = GroupRole.MEMBER
    starts_on = datetime.date(2023, 1, 1)


class CouncilMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KnowledgeCouncilMembership

    council = factory.SubFactory(KnowledgeCouncilFactory)
    person = factory.SubFactory(PersonFactory)
    region = factory.SubFactory(
        RegionFactory, healthcare_region=factory.SelfAttribute("..council.healthcare_region")
    )
    role = "ledamot"
    starts_on = datetime.date(2023, 1, 1)


class PatientPromiseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PatientPromise

    healthcare_region = factory.SubFactory(HealthcareRegionFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"erbjudas löfte nummer {n}")


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    healthcare_region = factory.SubFactory(HealthcareRegionFactory)
    title = factory.Sequence(lambda n: f"Mål {n}")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    goal = factory.SubFactory(GoalFactory)
    name = factory.Sequence(lambda n: f"Indikator {n}")
    unit = "%"
    target = 80


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    region = factory.SubFactory(RegionFactory)
    year = 2023
    value = 75
