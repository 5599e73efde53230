"""An aktivitetsplan as OpenDocument (.ods): exported, read back unchanged, hostile files refused."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.tabular import read_table
from plans import spreadsheets
from plans.models import Activity
from tests import ods
from tests.plans.factories import ActivityFactory

pytestmark = pytest.mark.django_db


def _url(name, plan, **kwargs):
    return reverse(f"plans:{name}", kwargs={"hr": "mellansverige", "pk": plan.pk, **kwargs})


def _rows(data):
    table = read_table(
        "plan.ods", data, limits=spreadsheets.LIMITS, header_score=lambda r: 6, min_score=1
    )
    return table.rows


def test_the_plan_exported_as_ods_and_read_in_again_gives_the_same_activities(
    client, kansli, draft_plan, area, activity, uppsala, dalarna
):
    Activity.objects.filter(pk=activity.pk).update(
        title='=HYPERLINK("http://x")', description="<p>Första stycket</p><p>Andra</p>"
    )
    activity.regions.set([uppsala, dalarna])
    ActivityFactory(focus_area=area, title="Följa upp väntetider")
    client.force_login(kansli)
    export = client.get(_url("activity_plan_export", draft_plan, fmt="ods"))
    assert export["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    before = _rows(export.content)
    assert before[1][1] == '\'=HYPERLINK("http://x")'

    Activity.objects.filter(focus_area__activity_plan=draft_plan).delete()
    upload = SimpleUploadedFile("aktiviteter.ods", export.content)
    response = client.post(_url("activity_import", draft_plan), {"file": upload})
    assert response.status_code == 302, response.context and response.context["errors"]
    after = _rows(client.get(_url("activity_plan_export", draft_plan, fmt="ods")).content)
    assert after == before
    assert Activity.objects.get(regions=dalarna).title == '=HYPERLINK("http://x")'


def test_a_hostile_ods_is_refused_with_a_swedish_message_and_nothing_read_in(
    client, kansli, draft_plan
):
    header = ["Fokusområde", "Aktivitet", "Beskrivning", "Ansvarig", "Berörda regioner"]
    bomb = ods.ods(
        ods.content(
            ods.table("Blad1", ods.row(header) + ods.row(["Kunskapsstyrning", "X"], repeated=10**9))
        )
    )
    client.force_login(kansli)
    response = client.post(
        _url("activity_import", draft_plan), {"file": SimpleUploadedFile("a.ods", bomb)}
    )
    assert response.status_code == 200
    assert "rader" in " ".join(e.message for e in response.context["errors"])
    assert Activity.objects.filter(focus_area__activity_plan=draft_plan).count() == 1
