"""Security-relevant acts are recorded with who did what to whom, and the record stays."""

import pytest
from django.core.management import call_command
from django.db import ProgrammingError, transaction

from pricing import services as pricing_services
from regions import services
from regions.models import AuditEvent, RoleGroup
from tests.factories import UserFactory


@pytest.mark.django_db
def test_granting_and_revoking_a_role_is_recorded_with_who_did_it(kansli, mellansverige):
    anna = UserFactory(username="anna")
    services.role_grant(
        user=anna, role=RoleGroup.Role.BOARD_MEMBER, scope=mellansverige, actor=kansli
    )
    services.role_revoke(
        user=anna, role=RoleGroup.Role.BOARD_MEMBER, scope=mellansverige, actor=kansli
    )
    events = list(AuditEvent.objects.filter(subject_user=anna).order_by("pk"))
    assert [(e.action, e.actor, e.healthcare_region, e.detail) for e in events] == [
        (AuditEvent.Action.ROLE_GRANTED, kansli, mellansverige, {"role": "namnd"}),
        (AuditEvent.Action.ROLE_REVOKED, kansli, mellansverige, {"role": "namnd"}),
    ]
    assert events[0].subject_label == str(anna)


@pytest.mark.django_db
def test_a_role_already_held_or_not_held_records_nothing(kansli, mellansverige):
    anna = UserFactory(username="anna")
    services.role_grant(user=anna, role=RoleGroup.Role.KANSLI, scope=mellansverige, actor=kansli)
    services.role_grant(user=anna, role=RoleGroup.Role.KANSLI, scope=mellansverige, actor=kansli)
    assert not services.role_revoke(
        user=anna, role=RoleGroup.Role.GROUP_LEAD, scope=mellansverige, actor=kansli
    )
    assert AuditEvent.objects.filter(subject_user=anna).count() == 1


@pytest.mark.django_db
def test_a_role_granted_from_the_shell_says_so(dalarna):
    olle = UserFactory(username="olle")
    call_command("role", "grant", "olle", "priskontakt", "--region", "20")
    event = AuditEvent.objects.get(action=AuditEvent.Action.ROLE_GRANTED, region=dalarna)
    assert (event.actor, event.actor_label, event.subject_user) == (None, "manage.py role", olle)


@pytest.mark.django_db
def test_creating_and_revoking_an_api_key_is_recorded(price_contact_dalarna, kansli, dalarna):
    token, _key = pricing_services.api_token_create(
        actor=price_contact_dalarna, region=dalarna, name="Ekonomisystemet"
    )
    pricing_services.api_token_revoke(actor=kansli, token=token)
    pricing_services.api_token_revoke(actor=kansli, token=token)  # already revoked: no record
    events = list(
        AuditEvent.objects.filter(region=dalarna)
        .exclude(action=AuditEvent.Action.ROLE_GRANTED)
        .order_by("pk")
    )
    assert [(e.action, e.actor) for e in events] == [
        (AuditEvent.Action.API_KEY_CREATED, price_contact_dalarna),
        (AuditEvent.Action.API_KEY_REVOKED, kansli),
    ]
    assert events[0].detail["key_prefix"] == token.key_prefix
    assert "Ekonomisystemet" in events[1].subject_label


@pytest.mark.django_db
def test_the_record_can_be_neither_changed_nor_removed(kansli, mellansverige):
    anna = UserFactory(username="anna")
    services.role_grant(user=anna, role=RoleGroup.Role.KANSLI, scope=mellansverige, actor=kansli)
    event = AuditEvent.objects.get(subject_user=anna)
    with pytest.raises(ProgrammingError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action=AuditEvent.Action.ROLE_REVOKED)
    with pytest.raises(ProgrammingError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    # A removed account leaves its name on the record.
    kansli_name = str(kansli)
    kansli.delete()
    event.refresh_from_db()
    assert (event.actor, event.actor_label, event.action) == (
        None,
        kansli_name,
        AuditEvent.Action.ROLE_GRANTED,
    )
