"""Bodies, people and memberships imported and exported in the admin (django-import-export).

Through the admin's own views: the file is posted to the import page, which shows
import-export's report of a dry run, and then to the confirmation.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core import importexport
from core.tabular import ods_bytes
from regions.models import Body, Membership, Person
from regions.resources import MembershipResource, PersonResource
from tests.factories import MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
FORMAT = {"xlsx": 0, "csv": 1, "ods": 2}


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


def _import(client, model, data, fmt, *, confirm=True):
    """The dry run's response, and the confirmation's if it was offered and asked for."""
    url = reverse(f"admin:regions_{model}_import")
    response = client.post(
        url,
        {
            "import_file": SimpleUploadedFile(f"fil.{fmt}", data),
            "format": FORMAT[fmt],
            "resource": "0",
        },
    )
    assert response.status_code == 200
    confirm_form = response.context.get("confirm_form")
    if not confirm or confirm_form is None:
        return response, None
    done = client.post(reverse(f"admin:regions_{model}_process_import"), confirm_form.initial)
    return response, done


def _export(resource, fmt):
    file_format = [importexport.XLSX, importexport.CSV, importexport.ODS][FORMAT[fmt]]()
    data = file_format.export_data(resource().export())
    return data.encode("utf-8") if isinstance(data, str) else data


def _memberships():
    return sorted(
        Membership.objects.values_list(
            "id", "body_id", "person_id", "region_id", "role", "starts_on", "ends_on"
        )
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_people_are_imported_from_a_file_with_swedish_headers(client, superuser, fmt):
    header = ["id", "förnamn", "efternamn", "titel eller uppdrag", "e-post"]
    rows = [
        ["", "Anna", "Andersson", "Regiondirektör", "anna@example.se"],
        ["", "Bo", "Ek", "", ""],
    ]
    if fmt == "ods":
        data = ods_bytes([("Personer", header, rows)])
    elif fmt == "xlsx":
        import tablib

        data = tablib.Dataset(*rows, headers=header).export("xlsx")
    else:
        data = "\n".join(";".join(r) for r in [header, *rows]).encode("cp1252")
    client.force_login(superuser)
    dry_run, done = _import(client, "person", data, fmt)
    assert done.status_code == 302
    assert sorted(Person.objects.values_list("first_name", "last_name", "title")) == [
        ("Anna", "Andersson", "Regiondirektör"),
        ("Bo", "Ek", ""),
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_memberships_exported_and_imported_again_change_nothing(
    client, superuser, board, uppsala, dalarna, fmt
):
    MembershipFactory(
        body=board, region=uppsala, role="ordforande", starts_on=datetime.date(2023, 1, 1)
    )
    MembershipFactory(
        body=board,
        region=dalarna,
        role="ledamot",
        starts_on=datetime.date(2023, 1, 1),
        ends_on=datetime.date(2024, 12, 31),
        person=PersonFactory(title="=SUM(A1)"),
    )
    before, people = _memberships(), Person.objects.count()
    client.force_login(superuser)
    for model, resource in (("person", PersonResource), ("membership", MembershipResource)):
        dry_run, done = _import(client, model, _export(resource, fmt), fmt)
        assert done is not None, dry_run.context["result"].invalid_rows
        assert done.status_code == 302
    assert _memberships() == before
    assert Person.objects.count() == people
    assert Person.objects.filter(title="=SUM(A1)").exists()


def test_a_new_membership_names_its_body_region_and_person_as_users_know_them(
    client, superuser, board, dalarna
):
    person = PersonFactory()
    header = [
        "id",
        "sjukvårdsregion",
        "organ",
        "person-id",
        "representerar",
        "roll",
        "från",
        "till och med",
    ]
    row = [
        "",
        "mellansverige",
        "Samverkansnämnden",
        str(person.pk),
        "20",
        "ledamot",
        "2025-01-01",
        "",
    ]
    client.force_login(superuser)
    _dry_run, done = _import(client, "membership", ods_bytes([("Uppdrag", header, [row])]), "ods")
    assert done.status_code == 302
    membership = Membership.objects.get()
    assert (membership.body, membership.region, membership.person) == (board, dalarna, person)


def test_a_file_with_a_bad_row_shows_the_row_errors_and_writes_nothing(
    client, superuser, board, dalarna
):
    person = PersonFactory()
    header = [
        "id",
        "sjukvårdsregion",
        "organ",
        "person-id",
        "representerar",
        "roll",
        "från",
        "till och med",
    ]
    rows = [
        [
            "",
            "mellansverige",
            "Samverkansnämnden",
            str(person.pk),
            "20",
            "ledamot",
            "2025-01-01",
            "",
        ],
        ["", "mellansverige", "Samverkansnämnden", str(person.pk), "99", "ledamot", "", ""],
    ]
    client.force_login(superuser)
    dry_run, done = _import(client, "membership", ods_bytes([("Uppdrag", header, rows)]), "ods")
    assert done is None
    result = dry_run.context["result"]
    [invalid] = result.invalid_rows
    assert invalid.number == 2
    messages = " ".join(str(m) for ms in invalid.field_specific_errors.values() for m in ms)
    assert "Region ”99” finns inte." in messages
    assert "från" in invalid.field_specific_errors or "starts_on" in str(invalid.error_dict)
    assert "Region ”99” finns inte." in dry_run.content.decode()
    assert not Membership.objects.exists()


def test_a_membership_of_a_region_outside_the_body_is_refused_with_the_services_message(
    client, superuser, board, skane
):
    person = PersonFactory()
    header = ["id", "sjukvårdsregion", "organ", "person-id", "representerar", "roll", "från"]
    row = ["", "mellansverige", "Samverkansnämnden", str(person.pk), "12", "ledamot", "2025-01-01"]
    client.force_login(superuser)
    dry_run, done = _import(client, "membership", ods_bytes([("Uppdrag", header, [row])]), "ods")
    assert done is None
    assert "Region Skåne ingår inte i Sjukvårdsregion Mellansverige." in dry_run.content.decode()
    assert not Membership.objects.exists()


def test_a_hostile_file_gets_the_readers_swedish_message_on_the_import_form(client, superuser):
    from tests import ods

    bomb = ods.ods(
        ods.content(ods.table("P", ods.row(["id", "förnamn"]) + ods.row(["", "x"], repeated=10**9)))
    )
    client.force_login(superuser)
    response, done = _import(client, "person", bomb, "ods")
    assert done is None
    assert "Filen har fler än 20000 rader." in response.content.decode()
    assert not Person.objects.exists()


@pytest.mark.parametrize("name", ["import", "export"])
def test_someone_not_staff_is_sent_to_the_admin_login(client, plain_user, name):
    client.force_login(plain_user)
    response = client.get(reverse(f"admin:regions_person_{name}"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_without_the_right_to_add_and_change_cannot_import(client):
    staff = UserFactory(username="personal", is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("admin:regions_person_import")).status_code == 403
    assert not Body.objects.exists()
