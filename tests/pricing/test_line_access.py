"""Every figure built from price lines passes the rule of the lines' own page.

The permission table checks status codes; these rows look for the *values*. Region
Uppsala has confirmed its 2025 lines while collection is still open, so they are
unpublished: only the insiders (kansli, nämnd) and Uppsala's own price contacts may see
them. Each page and export that aggregates prices is fetched as every role, and its
body searched for Uppsala's secret price, its code found in no other line, the change
row it makes, and the counts of its lines.
"""

import io
import re

import openpyxl
import pytest
from django.urls import reverse

from pricing import services
from tests.pricing.factories import line, make_decided_list, make_open_list

SECRET_PRICE = "987654.32"
SECRET_CODE = "HEMLIG-UPS"
# Uppsala's LB-KARD goes from 3 100 kr (2024, public) to the secret price: +31 759,82 %.
SECRET_CHANGE = "31759"
SECRET_MARKERS = ("987654", "4321.77", SECRET_CODE, "Hemlig åtgärd", SECRET_CHANGE)

READERS = ("kansli", "board_member", "price_contact_uppsala")
OUTSIDERS = ("kansli_sodra", "group_lead", "price_contact_dalarna", "plain_user", None)

PAGES = {
    "the comparison of the secret line's code": ("pricing:compare", {}, {"kod": "LB-KARD"}),
    "the comparison of the code only Uppsala has": ("pricing:compare", {}, {"kod": SECRET_CODE}),
    "the comparison's list of codes": ("pricing:compare", {}, {}),
    "the change between the two years": ("pricing:compare", {}, {"fran": 2024, "till": 2025}),
    "the list being collected": ("pricing:price_list", {"year": 2025}, {}),
    "the list filtered to Uppsala": ("pricing:price_list", {"year": 2025}, {"region": "03"}),
    "the prislistor overview": ("pricing:section", {}, {}),
    "the CSV export": ("pricing:export", {"year": 2025, "fmt": "csv"}, {}),
    "the JSON export": ("pricing:export", {"year": 2025, "fmt": "json"}, {}),
    "the XLSX export": ("pricing:export", {"year": 2025, "fmt": "xlsx"}, {}),
    "Dalarna's own lines": ("pricing:region_lines", {"year": 2025, "scb": "20"}, {}),
}


@pytest.fixture
def secret_lines(
    mellansverige, published_meeting, uppsala, dalarna, price_contact_uppsala, price_contact_dalarna
):
    make_decided_list(mellansverige, published_meeting, uppsala, dalarna)
    open_list = make_open_list(mellansverige)
    services.price_lines_submit(
        actor=price_contact_uppsala,
        price_list=open_list,
        region=uppsala,
        lines=[
            line("Akademiska sjukhuset", price=SECRET_PRICE),
            line(
                "Akademiska sjukhuset",
                code=SECRET_CODE,
                description="Hemlig åtgärd",
                category="atgard",
                unit="atgard",
                price="4321.77",
            ),
            *[line("Akademiska sjukhuset", code=f"U-{n}", price="100.00") for n in range(5)],
        ],
    )
    services.price_lines_submit(
        actor=price_contact_dalarna,
        price_list=open_list,
        region=dalarna,
        lines=[line(price="2999.00")],
    )
    return open_list


def _body_text(response) -> str:
    """The response as text with every kind of space removed, cells of a workbook included."""
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
        text = "\n".join(
            str(cell)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
        )
    else:
        text = response.content.decode()
    return re.sub(r"[\s\u00a0\u202f]", "", text).replace(",", ".")


def _get(client, request, user_name, url_name, kwargs, query):
    if user_name:
        client.force_login(request.getfixturevalue(user_name))
    url = reverse(url_name, kwargs={"hr": "mellansverige", **kwargs})
    return client.get(url, query)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "user_name", ("price_contact_dalarna", "kansli_sodra", "group_lead", "plain_user", None)
)
@pytest.mark.parametrize("page", PAGES)
def test_no_page_or_export_shows_another_regions_unpublished_prices(
    client, request, secret_lines, user_name, page
):
    url_name, kwargs, query = PAGES[page]
    response = _get(client, request, user_name, url_name, kwargs, query)
    assert response.status_code in (200, 302, 404), response.status_code
    body = _body_text(response)
    # The code a visitor searched for is echoed back in the search box: their own words.
    for marker in (m for m in SECRET_MARKERS if m != query.get("kod")):
        assert marker not in body, (user_name, page, marker)


@pytest.mark.django_db
@pytest.mark.parametrize("user_name", READERS)
@pytest.mark.parametrize(
    "page",
    [
        "the comparison of the secret line's code",
        "the comparison of the code only Uppsala has",
        "the comparison's list of codes",
        "the change between the two years",
        "the CSV export",
        "the XLSX export",
    ],
)
def test_those_who_may_read_the_lines_see_them_in_the_same_places(
    client, request, secret_lines, user_name, page
):
    # The other side of the rows above: the markers are found where they may be shown,
    # so the search for them cannot pass by finding nothing anywhere.
    response = _get(client, request, user_name, *PAGES[page])
    assert response.status_code == 200
    body = _body_text(response)
    assert any(marker in body for marker in SECRET_MARKERS), (user_name, page)


@pytest.mark.django_db
def test_a_price_contact_sees_their_own_unpublished_prices_beside_the_public_ones(
    client, secret_lines, price_contact_dalarna
):
    client.force_login(price_contact_dalarna)
    response = client.get(
        reverse("pricing:compare", kwargs={"hr": "mellansverige"}), {"kod": "LB-KARD"}
    )
    comparison = response.context["comparison"]
    assert comparison.years == [2024, 2025]
    rows = {(region, hospital): prices for region, hospital, prices in comparison.rows}
    # Dalarna's own 2025 price, and Uppsala's only as published for 2024.
    assert rows[("Dalarna", "Falu lasarett")][1] == 2999
    assert rows[("Uppsala", "Akademiska sjukhuset")] == [3100, None]


@pytest.mark.django_db
def test_the_change_between_two_years_lists_only_the_regions_whose_lines_the_user_reads(
    client, secret_lines, price_contact_dalarna, kansli
):
    url = reverse("pricing:compare", kwargs={"hr": "mellansverige"})
    client.force_login(price_contact_dalarna)
    changes = client.get(url, {"fran": 2024, "till": 2025}).context["changes"]
    assert [c.region.short_name for c in changes] == ["Dalarna"]
    client.force_login(kansli)
    changes = client.get(url, {"fran": 2024, "till": 2025}).context["changes"]
    assert sorted(c.region.short_name for c in changes) == ["Dalarna", "Uppsala"]


@pytest.mark.django_db
def test_line_counts_count_only_the_lines_the_user_may_read(
    client, secret_lines, price_contact_dalarna, kansli
):
    section = reverse("pricing:section", kwargs={"hr": "mellansverige"})
    detail = reverse("pricing:price_list", kwargs={"hr": "mellansverige", "year": 2025})

    client.force_login(price_contact_dalarna)
    counts = {pl.year: pl.line_count for pl in client.get(section).context["price_lists"]}
    assert counts == {2025: 1, 2024: 3}
    statuses = {s.region.short_name: s for s in client.get(detail).context["statuses"]}
    assert statuses["Dalarna"].line_count == 1
    # Uppsala's submission is listed as made, without its size.
    assert statuses["Uppsala"].submission is not None
    assert statuses["Uppsala"].line_count is None

    client.force_login(kansli)
    counts = {pl.year: pl.line_count for pl in client.get(section).context["price_lists"]}
    assert counts == {2025: 8, 2024: 3}
    statuses = {s.region.short_name: s for s in client.get(detail).context["statuses"]}
    assert statuses["Uppsala"].line_count == 7
