"""The kunskapsstyrning register imported and exported in the admin (django-import-export)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core import importexport
from core.tabular import ods_bytes
from knowledge.models import NationalProgramArea, RegionalGroup, RegionalGroupMembership
from knowledge.resources import (
    NationalProgramAreaResource,
    RegionalGroupMembershipResource,
    RegionalGroupResource,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
FORMAT = {"xlsx": 0, "csv": 1, "ods": 2}
FORMATS = [importexport.XLSX, importexport.CSV, importexport.ODS]


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


def _import(client, model, data, fmt):
    response = client.post(
        reverse(f"admin:knowledge_{model}_import"),
        {
            "import_file": SimpleUploadedFile(f"fil.{fmt}", data),
            "format": FORMAT[fmt],
            "resource": "0",
        },
    )
    assert response.status_code == 200
    confirm_form = response.context.get("confirm_form")
    if confirm_form is None:
        return response, None
    return response, client.post(
        reverse(f"admin:knowledge_{model}_process_import"), confirm_form.initial
    )


def _export(resource, fmt):
    data = FORMATS[FORMAT[fmt]]().export_data(resource().export())
    return data.encode("utf-8") if isinstance(data, str) else data


def _state():
    return (
        sorted(
            RegionalGroup.objects.values_list(
                "id",
                "healthcare_region",
                "kind",
                "name",
                "mandate",
                "national_program_area",
                "state",
            )
        ),
        sorted(
            RegionalGroupMembership.objects.values_list(
                "id", "group", "person", "region", "role", "starts_on", "ends_on"
            )
        ),
        sorted(NationalProgramArea.objects.values_list("id", "slug", "name")),
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_groups_and_members_exported_and_imported_again_change_nothing(client, superuser, rsg, fmt):
    NationalProgramArea.objects.create(slug="hjarta-karl", name="Hjärt- och kärlsjukdomar")
    before = _state()
    client.force_login(superuser)
    for model, resource in (
        ("nationalprogramarea", NationalProgramAreaResource),
        ("regionalgroup", RegionalGroupResource),
        ("regionalgroupmembership", RegionalGroupMembershipResource),
    ):
        dry_run, done = _import(client, model, _export(resource, fmt), fmt)
        assert done is not None and done.status_code == 302, dry_run.context["result"].invalid_rows
    assert _state() == before


def test_a_new_group_names_its_national_programme_area_by_kortnamn(
    client, superuser, mellansverige
):
    NationalProgramArea.objects.create(slug="cancer", name="Cancersjukdomar")
    header = ["sjukvårdsregion", "typ", "namn", "nationellt programområde", "status", "uppdrag"]
    row = ["mellansverige", "rpo", "Cancer", "cancer", "active", "<p>Leda</p><script>x</script>"]
    client.force_login(superuser)
    _dry, done = _import(client, "regionalgroup", ods_bytes([("Grupper", header, [row])]), "ods")
    assert done.status_code == 302
    group = RegionalGroup.objects.get(name="Cancer")
    assert group.national_program_area.slug == "cancer"
    assert "script" not in group.mandate  # sanitised as by regional_group_create


def test_a_member_of_an_unknown_group_or_region_is_reported_and_nothing_written(
    client, superuser, rsg
):
    person = rsg.memberships.get().person
    header = ["id", "sjukvårdsregion", "typ", "grupp", "person-id", "representerar", "roll", "från"]
    rows = [
        ["", "mellansverige", "rsg", rsg.name, str(person.pk), "20", "ledamot", "2030-01-01"],
        ["", "mellansverige", "rsg", "Finns inte", str(person.pk), "77", "ledamot", "2030-01-01"],
    ]
    count = RegionalGroupMembership.objects.count()
    client.force_login(superuser)
    dry_run, done = _import(
        client, "regionalgroupmembership", ods_bytes([("Uppdrag", header, rows)]), "ods"
    )
    assert done is None
    page = dry_run.content.decode()
    assert "Regional grupp ”Finns inte” finns inte." in page
    assert "Region ”77” finns inte." in page
    assert RegionalGroupMembership.objects.count() == count


def test_someone_not_staff_is_sent_to_the_admin_login(client, plain_user):
    client.force_login(plain_user)
    response = client.get(reverse("admin:knowledge_regionalgroup_import"))
    assert response["Location"].startswith(reverse("admin:login"))
