import datetime

import factory

from regions.models import (
    AgendaItem,
    Body,
    Decision,
    HealthcareRegion,
    Meeting,
    Membership,
    Person,
    Region,
    User,
)


class HealthcareRegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HealthcareRegion
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"sjukvardsregion-{n}")
    name = factory.Sequence(lambda n: f"Sjukvårdsregion {n}")
    short_name = factory.Sequence(lambda n: f"SVR {n}")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("scb_code",)

    scb_code = factory.Sequence(lambda n: f"{(n % 90) + 10:02d}")
    name = factory.Sequence(lambda n: f"Region Exempel {n}")
    short_name = factory.Sequence(lambda n: f"Exempel {n}")
    healthcare_region = factory.SubFactory(HealthcareRegionFactory)


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body

    healthcare_region = factory.SubFactory(HealthcareRegionFactory)
    kind = Body.Kind.BOARD
    name = factory.Sequence(lambda n: f"Samverkansnämnd {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Sequence(lambda n: f"Förnamn{n}")
    last_name = factory.Sequence(lambda n: f"Exempelsson{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    body = factory.SubFactory(BodyFactory)
    person = factory.SubFactory(PersonFactory)
    region = factory.SubFactory(
        RegionFactory, healthcare_region=factory.SelfAttribute("..body.healthcare_region")
    )
    role = Membership.Role.MEMBER
    starts_on = datetime.date(2023, 1, 1)
    ends_on = None


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    body = factory.SubFactory(BodyFactory)
    date = datetime.date(2024, 3, 15)
    place = "Örebro"
    is_published = False


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Ärende {n}")


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory)
    paragraph = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Beslut {n}")
    text = "Nämnden beslutar i enlighet med förslaget."


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"anvandare{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Användare{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "ett-bra-losenord")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
