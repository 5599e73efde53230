"""The API: token, same checks and atomicity as an upload, and the OpenAPI schema it serves."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from pricing import services
from pricing.models import ApiToken, PriceItem, PriceList, PriceSubmission
from tests.factories import UserFactory
from tests.pricing.schema_check import check

LINE = {
    "hospital": "Falu lasarett",
    "clinic": "Kardiologi",
    "category": "lakarbesok",
    "code": "LB-KARD",
    "description": "Läkarbesök, kardiologi",
    "unit": "besok",
    "price": 2850,
}


@pytest.fixture
def schema(client, mellansverige):
    return json.loads(
        client.get(reverse("pricing:api_schema", kwargs={"hr": "mellansverige"})).content
    )


@pytest.fixture
def key(dalarna, price_contact_dalarna):
    _token, key = services.api_token_create(
        actor=price_contact_dalarna, region=dalarna, name="Ekonomisystemet"
    )
    return key


def _post(client, body, key=None, scb="20", year=2025, query="", content_type="application/json"):
    url = reverse("pricing:api_submit", kwargs={"hr": "mellansverige", "year": year, "scb": scb})
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(url + query, data, content_type=content_type, headers=headers)


def _conforms(schema, response, body=None):
    operation = schema["paths"]["/{hr}/prislistor/api/v1/{year}/{scb}/prisrader"]["post"]
    if body is not None:
        request_schema = operation["requestBody"]["content"]["application/json"]["schema"]
        assert check(body, request_schema, schema) == []
    documented = operation["responses"][str(response.status_code)]
    response_schema = documented["content"]["application/json"]["schema"]
    assert check(response.json(), response_schema, schema) == []


@pytest.mark.django_db
def test_a_regions_system_submits_lines_that_replace_its_earlier_ones(
    client, open_list, dalarna, key, schema
):
    body = {"lines": [LINE, {**LINE, "code": "LB-NEUR", "price": "3 100,50 kr"}]}
    response = _post(client, body, key)
    assert response.status_code == 201
    _conforms(schema, response)
    assert PriceItem.objects.filter(region=dalarna).count() == 2
    response = _post(client, {"lines": [LINE]}, key)
    assert response.status_code == 201
    assert PriceItem.objects.filter(region=dalarna).count() == 1
    submission = PriceSubmission.objects.get(pk=response.json()["submission"])
    assert (submission.source, len(submission.sha256)) == ("api", 64)
    # Credited to the key it came through, and shown so on the region's page.
    assert submission.api_token == dalarna.price_api_tokens.get()
    client.force_login(submission.submitted_by)
    page = client.get(
        reverse(
            "pricing:submission",
            kwargs={"hr": "mellansverige", "year": 2025, "scb": "20", "pk": submission.pk},
        )
    )
    assert "Ekonomisystemet" in page.content.decode()


@pytest.mark.django_db
def test_bad_lines_are_all_reported_and_nothing_is_written(client, open_list, dalarna, key, schema):
    body = {
        "lines": [LINE, {**LINE, "code": "X", "price": -5}, {**LINE, "unit": "liter"}, {**LINE}]
    }
    response = _post(client, body, key)
    assert response.status_code == 400
    _conforms(schema, response)
    found = {(e["row"], e["column"]) for e in response.json()["errors"]}
    assert found == {(2, "price"), (3, "unit"), (4, "code")}
    assert not PriceItem.objects.exists()


@pytest.mark.django_db
def test_a_dry_run_answers_with_the_differences_and_saves_nothing(client, open_list, key, schema):
    response = _post(client, {"lines": [LINE]}, key, query="?dry_run=1")
    assert response.status_code == 200
    _conforms(schema, response, {"lines": [LINE]})
    assert not PriceItem.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("case", "status"),
    [
        ("no key", 401),
        ("wrong key", 401),
        ("revoked", 401),
        ("other region", 403),
        ("no list", 404),
        ("closed", 409),
        ("not json", 400),
        ("text/plain", 415),
        ("no lines", 400),
    ],
)
def test_the_api_refuses_with_a_documented_error(
    client, open_list, dalarna, uppsala, key, schema, case, status
):
    kwargs = {"key": key}
    body = {"lines": [LINE]}
    if case == "no key":
        kwargs["key"] = None
    elif case == "wrong key":
        kwargs["key"] = "spk_nonsense"
    elif case == "revoked":
        services.api_token_revoke(actor=None, token=dalarna.price_api_tokens.get())
    elif case == "other region":
        kwargs["scb"] = "03"
    elif case == "no list":
        kwargs["year"] = 2030
    elif case == "closed":
        services.price_list_transition(
            actor=None, price_list=open_list, state=PriceList.State.CLOSED
        )
    elif case == "not json":
        body = "{lines:"
    elif case == "text/plain":
        kwargs["content_type"] = "text/plain"
    elif case == "no lines":
        body = {"lines": []}
    response = _post(client, body, **kwargs)
    assert response.status_code == status
    _conforms(schema, response)
    assert response.json()["errors"][0]["message"]


@pytest.mark.django_db
def test_the_schema_describes_every_field_the_endpoint_reads(schema):
    from pricing.imports import COLUMNS

    line = schema["components"]["schemas"]["Line"]
    assert set(line["properties"]) == set(COLUMNS)
    from pricing.models import Category, Unit

    assert line["properties"]["category"]["enum"] == Category.values
    assert line["properties"]["unit"]["enum"] == Unit.values


@pytest.mark.django_db
def test_a_key_works_only_while_someone_in_its_region_holds_the_price_contact_role(
    client, open_list, dalarna, key, schema
):
    UserFactory(username="pris.dalarna.2")
    call_command("role", "grant", "pris.dalarna.2", "priskontakt", "--region", "20")
    call_command("role", "revoke", "pris.dalarna", "priskontakt", "--region", "20")
    assert _post(client, {"lines": [LINE]}, key).status_code == 201

    call_command("role", "revoke", "pris.dalarna.2", "priskontakt", "--region", "20")
    response = _post(client, {"lines": [LINE]}, key)
    assert response.status_code == 401
    _conforms(schema, response)
    assert response.json()["errors"][0]["message"] == (
        "API-nyckeln gäller inte längre: ingen i Region Dalarna har rollen priskontakt. "
        "En ny priskontakt kan skapa en ny nyckel."
    )
    assert PriceSubmission.objects.filter(region=dalarna).count() == 1


@pytest.mark.django_db
def test_a_key_of_a_deactivated_last_price_contact_stops_working(
    client, open_list, price_contact_dalarna, key
):
    price_contact_dalarna.is_active = False
    price_contact_dalarna.save()
    assert _post(client, {"lines": [LINE]}, key).status_code == 401


@pytest.mark.django_db
def test_an_expired_key_is_refused_with_a_swedish_message(client, open_list, dalarna, key, schema):
    token = dalarna.price_api_tokens.get()
    assert timezone.now() + datetime.timedelta(days=89) < token.expires_at
    assert token.expires_at <= timezone.now() + datetime.timedelta(days=90)
    # As if 90 days had passed.
    yesterday = timezone.now() - datetime.timedelta(days=1)
    ApiToken.objects.filter(pk=token.pk).update(
        created_at=yesterday - datetime.timedelta(days=90), expires_at=yesterday
    )
    response = _post(client, {"lines": [LINE]}, key)
    assert response.status_code == 401
    _conforms(schema, response)
    message = response.json()["errors"][0]["message"]
    assert message.startswith(f"API-nyckeln har gått ut (den gällde till {yesterday:%Y-%m-%d}).")
    assert not PriceItem.objects.exists()


@pytest.mark.django_db
def test_a_key_cannot_be_made_for_longer_than_a_year(dalarna, price_contact_dalarna):
    with pytest.raises(ValidationError, match="högst 365 dagar"):
        services.api_token_create(
            actor=price_contact_dalarna, region=dalarna, name="System", valid_days=366
        )
    token, _key = services.api_token_create(
        actor=price_contact_dalarna, region=dalarna, name="System", valid_days=365
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(
            expires_at=token.created_at + datetime.timedelta(days=400)
        )


@pytest.mark.django_db
def test_the_keys_page_makes_a_key_for_the_chosen_time_and_shows_when_it_expires(
    client, dalarna, price_contact_dalarna
):
    client.force_login(price_contact_dalarna)
    url = reverse("pricing:api_tokens", kwargs={"hr": "mellansverige", "scb": "20"})
    page = client.get(url).content.decode()
    assert '<option value="90" selected>' in page
    response = client.post(url, {"name": "Ekonomisystemet", "valid_days": "30"})
    assert response.status_code == 200
    page = response.content.decode()
    expires = timezone.localdate() + datetime.timedelta(days=30)
    assert "Giltig till" in page and f"{expires:%Y-%m-%d}" in page
    token = dalarna.price_api_tokens.get()
    assert token.expires_at.date() in (expires, expires - datetime.timedelta(days=1))


@pytest.mark.django_db
def test_deeply_nested_json_is_refused_with_a_swedish_message(client, open_list, key, schema):
    response = _post(client, "[" * 100_000 + "]" * 100_000, key)
    assert response.status_code == 400
    _conforms(schema, response)
    assert "för djupt nästlad" in response.json()["errors"][0]["message"]
