import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.models import Activity, ActivityPlan, PlanState
from tests.factories import BodyFactory
from tests.plans.factories import ActivityFactory, FocusAreaFactory

pytestmark = pytest.mark.django_db


def _url(name, plan, **kwargs):
    return reverse(f"plans:{name}", kwargs={"hr": "mellansverige", "pk": plan.pk, **kwargs})


def test_a_decided_plan_is_public_and_shows_its_decision(client, operational_plan):
    page = client.get(operational_plan.get_absolute_url()).content.decode()
    assert "Beslutad 2024-03-15 § 41" in page
    assert "Utveckla arbetet med kunskapsstyrning" in page
    assert "Ändra avsnittet" not in page


def test_a_draft_is_not_found_by_outsiders(client, draft_plan, board_member):
    assert client.get(draft_plan.get_absolute_url()).status_code == 404
    client.force_login(board_member)
    assert client.get(draft_plan.get_absolute_url()).status_code == 404


def test_kansli_sends_the_plan_to_review_and_records_the_decision(
    client, kansli, board_member, draft_plan, draft_meeting
):
    client.force_login(kansli)
    client.post(_url("activity_plan_transition", draft_plan), {"state": "beredning"})
    client.force_login(board_member)
    page = client.get(draft_plan.get_absolute_url()).content.decode()
    assert "Under beredning" in page and "Ny aktivitet" not in page
    client.force_login(kansli)
    response = client.post(
        _url("activity_plan_decide", draft_plan), {"meeting": draft_meeting.pk, "paragraph": 53}
    )
    assert response.status_code == 302
    draft_plan.refresh_from_db()
    assert (draft_plan.state, draft_plan.decision.paragraph) == (PlanState.DECIDED, 53)
    client.logout()
    assert client.get(draft_plan.get_absolute_url()).status_code == 200


def test_an_activity_is_edited_in_place_with_htmx(client, kansli, draft_plan, activity):
    client.force_login(kansli)
    url = _url("activity_update", draft_plan, activity_pk=activity.pk)
    form = client.get(url, headers={"HX-Request": "true"})
    assert b"<html" not in form.content and b"data-unsaved-warning" in form.content
    response = client.post(
        url,
        {
            "focus_area": activity.focus_area_id,
            "title": "Ny rubrik",
            "description": "- a\n- b",
            "loaded_version": form.context["form"].initial["loaded_version"],
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert b'id="plan-items"' in response.content and b"Ny rubrik" in response.content
    assert response["X-Plans-Focus"] == f"aktivitet-{activity.pk}"
    assert Activity.objects.get(pk=activity.pk).description == "<ul><li>a</li><li>b</li></ul>"


def test_the_second_editor_is_told_and_sees_both_texts(client, kansli, draft_plan, activity):
    client.force_login(kansli)
    url = _url("activity_update", draft_plan, activity_pk=activity.pk)
    loaded = client.get(url).context["form"].initial["loaded_version"]
    fields = {"focus_area": activity.focus_area_id, "loaded_version": loaded}
    client.post(url, {**fields, "title": "Den förstas text"})
    response = client.post(
        url, {**fields, "title": "Den andras text"}, headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert "Någon annan har ändrat aktiviteten" in page
    assert "Den förstas text" in page and "Den andras text" in page
    assert response["HX-Retarget"] == f"#form-aktivitet-{activity.pk}"
    assert Activity.objects.get(pk=activity.pk).title == "Den förstas text"


def test_moving_by_keyboard_buttons_reorders_without_javascript(
    client, kansli, draft_plan, area, activity
):
    second = ActivityFactory(focus_area=area, title="Andra")
    client.force_login(kansli)
    response = client.post(
        _url("activity_move", draft_plan, activity_pk=second.pk), {"direction": "up"}
    )
    assert response.status_code == 302
    assert list(area.activities.values_list("title", flat=True))[0] == "Andra"


def test_the_history_page_shows_who_changed_what(client, kansli, draft_plan, activity):
    client.force_login(kansli)
    url = _url("activity_update", draft_plan, activity_pk=activity.pk)
    client.post(url, {"focus_area": activity.focus_area_id, "title": "Ändrad rubrik"})
    page = client.get(_url("activity_plan_history", draft_plan)).content.decode()
    assert str(kansli) in page and "Ändrad rubrik" in page


def test_the_compare_page_shows_the_differences_between_versions(
    client, kansli, draft_plan, activity, board
):
    client.force_login(kansli)
    ActivityPlan.objects.filter(pk=draft_plan.pk).update(
        state=PlanState.DECIDED, decision=draft_plan.operational_plan.decision
    )
    client.post(_url("activity_plan_new_version", draft_plan))
    copy = ActivityPlan.objects.get(version=2)
    copied = Activity.objects.get(focus_area__activity_plan=copy)
    client.post(
        _url("activity_update", copy, activity_pk=copied.pk),
        {"focus_area": copied.focus_area_id, "title": "Omformulerad"},
    )
    page = client.get(_url("activity_plan_compare", copy)).content.decode()
    assert "Omformulerad" in page and "Utveckla och sprida vårdförlopp" in page


def _plan_with(draft_plan, count):
    areas = [FocusAreaFactory(activity_plan=draft_plan) for _ in range(5)]
    body = BodyFactory(healthcare_region=draft_plan.healthcare_region)
    for i in range(count):
        activity = ActivityFactory(focus_area=areas[i % 5], responsible_body=body)
        activity.goals.set(draft_plan.operational_plan.sections.get().goals.all())


@pytest.mark.parametrize("count", [10, 200])
def test_the_activity_plan_page_runs_a_constant_number_of_queries(
    client, kansli, draft_plan, count
):
    _plan_with(draft_plan, count)
    client.force_login(kansli)
    client.get(draft_plan.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        response = client.get(draft_plan.get_absolute_url())
    assert response.status_code == 200
    assert len(queries) == 9, [q["sql"] for q in queries]  # 9th: the PDF block


@pytest.mark.parametrize("count", [10, 200])
def test_the_verksamhetsplan_page_runs_a_constant_number_of_queries(
    client, operational_plan, count
):
    section = operational_plan.sections.get()
    for _ in range(count):
        section.goals.create(text="Mål")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(operational_plan.get_absolute_url())
    assert response.status_code == 200
    assert len(queries) == 7, [q["sql"] for q in queries]  # 7th: the PDF block


def test_export_escapes_formulas_in_xlsx_and_csv(client, kansli, draft_plan, activity):
    Activity.objects.filter(pk=activity.pk).update(title='=HYPERLINK("http://x")')
    client.force_login(kansli)
    xlsx = client.get(_url("activity_plan_export", draft_plan, fmt="xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    assert sheet["B2"].value == '\'=HYPERLINK("http://x")'
    text = client.get(_url("activity_plan_export", draft_plan, fmt="csv")).content.decode(
        "utf-8-sig"
    )
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1][1] == '\'=HYPERLINK("http://x")'


def _csv(rows):
    text = "\n".join(";".join(r) for r in rows)
    return SimpleUploadedFile("aktiviteter.csv", text.encode(), content_type="text/csv")


def test_an_import_with_errors_names_row_column_and_value_and_writes_nothing(
    client, kansli, draft_plan, uppsala
):
    client.force_login(kansli)
    upload = _csv(
        [
            ["Fokusområde", "Aktivitet", "Beskrivning", "Ansvarig", "Berörda regioner"],
            ["Kunskapsstyrning", "Bra rad", "", "", "Uppsala"],
            ["Okänt område", "Dålig rad", "", "Ingen sådan grupp", "Region Skåne"],
        ]
    )
    response = client.post(_url("activity_import", draft_plan), {"file": upload})
    errors = [(e.row, e.column, e.value) for e in response.context["errors"]]
    assert errors == [
        (3, "Fokusområde", "Okänt område"),
        (3, "Ansvarig", "Ingen sådan grupp"),
        (3, "Berörda regioner", "Region Skåne"),
    ]
    assert "Fokusområdet finns inte i aktivitetsplanen." in response.content.decode()
    assert Activity.objects.filter(focus_area__activity_plan=draft_plan).count() == 1


def test_a_clean_import_adds_every_row(client, kansli, draft_plan, uppsala):
    client.force_login(kansli)
    upload = _csv(
        [
            ["Fokusområde", "Aktivitet", "Berörda regioner"],
            ["Kunskapsstyrning", "Importerad", "Uppsala"],
        ]
    )
    response = client.post(_url("activity_import", draft_plan), {"file": upload})
    assert response.status_code == 302
    imported = Activity.objects.get(title="Importerad")
    assert list(imported.regions.all()) == [uppsala]


def test_kansli_creates_next_years_plan_choosing_activities(
    client, kansli, draft_plan, area, activity
):
    ActivityFactory(focus_area=area, title="Lämnas kvar")
    client.force_login(kansli)
    response = client.post(
        _url("activity_plan_next_year", draft_plan), {"year": 2024, "activities": [activity.pk]}
    )
    new = ActivityPlan.objects.get(year=2024)
    assert response["Location"] == new.get_absolute_url()
    assert [a.title for a in Activity.objects.filter(focus_area__activity_plan=new)] == [
        "Utveckla och sprida vårdförlopp"
    ]


def test_the_decision_form_tells_meetings_apart_by_date_and_body(
    client, kansli, draft_plan, draft_meeting
):
    draft_plan.state = PlanState.REVIEW
    draft_plan.save()
    client.force_login(kansli)
    page = client.get(_url("activity_plan_decide", draft_plan)).content.decode()
    assert f"{draft_meeting.date:%Y-%m-%d} Samverkansnämnden: Sammanträde i utkast" in page
