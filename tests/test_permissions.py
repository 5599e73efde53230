"""Every view, every role: the status each user gets.

One row per (view, method); one column per user. 404 means the user may not know
the object exists, 403 that they may read it but not change it, 302 for an
anonymous visitor that the page needs a log-in (or a successful write). Later
features add their rows in tests/<app>/permission_table.py, joined here.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import AgendaItemFactory, DecisionFactory, MembershipFactory
from tests.knowledge import permission_table as knowledge_table
from tests.knowledge.permission_table import knowledge_objects  # noqa: F401 (fixture)
from tests.permission_columns import (
    INSIDERS,
    INSIDERS_LOGIN,
    KANSLI_ON_HIDDEN,
    KANSLI_ONLY,
    PUBLIC,
    USERS,
)
from tests.permission_columns import write as _write
from tests.plans import followup_permission_table as followup_table
from tests.plans import permission_table as plans_table
from tests.plans.followup_permission_table import followup_objects  # noqa: F401 (fixture)
from tests.plans.permission_table import plans_objects  # noqa: F401 (fixture)
from tests.pricing import permission_table as pricing_table
from tests.pricing.permission_table import pricing_objects  # noqa: F401 (fixture)

ROWS = [
    # (url name, kwargs keys, method, expected)
    ("start", (), "get", PUBLIC),
    ("accessibility", (), "get", PUBLIC),
    ("regions:healthcare_region", ("hr",), "get", PUBLIC),
    ("regions:about", ("hr",), "get", PUBLIC),
    ("regions:body", ("hr", "body"), "get", PUBLIC),
    ("regions:membership_create", ("hr", "body"), "get", KANSLI_ONLY),
    ("regions:membership_update", ("hr", "membership"), "get", KANSLI_ONLY),
    ("regions:membership_end", ("hr", "membership"), "get", KANSLI_ONLY),
    ("regions:meetings", ("hr",), "get", PUBLIC),
    ("regions:meeting_create", ("hr",), "get", KANSLI_ONLY),
    ("regions:meeting", ("hr", "draft"), "get", INSIDERS),
    ("regions:meeting", ("hr", "published"), "get", PUBLIC),
    ("regions:meeting_update", ("hr", "draft"), "get", KANSLI_ON_HIDDEN),
    ("regions:meeting_update", ("hr", "published"), "get", KANSLI_ONLY),
    ("regions:meeting_publish", ("hr", "draft"), "post", _write(KANSLI_ON_HIDDEN)),
    ("regions:agenda_item_create", ("hr", "draft"), "get", KANSLI_ON_HIDDEN),
    ("regions:agenda_item_update", ("hr", "draft", "item"), "get", KANSLI_ON_HIDDEN),
    ("regions:agenda_item_delete", ("hr", "draft", "item"), "get", KANSLI_ON_HIDDEN),
    ("regions:agenda_item_delete", ("hr", "draft", "item"), "post", _write(KANSLI_ON_HIDDEN)),
    ("regions:decision_create", ("hr", "draft"), "get", KANSLI_ON_HIDDEN),
    ("regions:decision_create", ("hr", "published"), "get", KANSLI_ONLY),
    ("regions:decision_update", ("hr", "draft", "decision"), "get", KANSLI_ON_HIDDEN),
    ("regions:decision_delete", ("hr", "draft", "decision"), "get", KANSLI_ON_HIDDEN),
    ("regions:decision_delete", ("hr", "draft", "decision"), "post", _write(KANSLI_ON_HIDDEN)),
    ("regions:history", ("hr",), "get", INSIDERS_LOGIN),
    ("plans:section", ("hr",), "get", PUBLIC),
    ("knowledge:section", ("hr",), "get", PUBLIC),
    ("pricing:section", ("hr",), "get", PUBLIC),
    *knowledge_table.ROWS,
    *plans_table.ROWS,
    *followup_table.ROWS,
    *pricing_table.ROWS,
]


@pytest.fixture
def objects(
    mellansverige,
    board,
    uppsala,
    draft_meeting,
    published_meeting,
    knowledge_objects,
    plans_objects,
    pricing_objects,
    followup_objects,
):
    item = AgendaItemFactory(meeting=draft_meeting)
    return {
        "hr": mellansverige.slug,
        "body": board.pk,
        "membership": MembershipFactory(body=board, region=uppsala).pk,
        "draft": draft_meeting.pk,
        "published": published_meeting.pk,
        "item": item.pk,
        "decision": DecisionFactory(meeting=draft_meeting, agenda_item=item).pk,
        **knowledge_objects,
        **plans_objects,
        **followup_objects,
        **pricing_objects,
    }


KWARG_NAMES = {
    **knowledge_table.KWARG_NAMES,
    **plans_table.KWARG_NAMES,
    **followup_table.KWARG_NAMES,
    **pricing_table.KWARG_NAMES,
    "hr": "hr",
    "body": "pk",
    "membership": "pk",
    "draft": "pk",
    "published": "pk",
    "item": "item_pk",
    "decision": "decision_pk",
}


@pytest.mark.django_db
@pytest.mark.parametrize("user_name", USERS)
@pytest.mark.parametrize(
    ("url_name", "keys", "method", "expected"),
    ROWS,
    ids=[f"{r[0]}-{'-'.join(r[1])}-{r[2]}" for r in ROWS],
)
def test_every_view_answers_each_role_as_the_table_says(
    request, client, objects, url_name, keys, method, expected, user_name
):
    if user_name != "anonymous":
        client.force_login(request.getfixturevalue(user_name))
    url = reverse(url_name, kwargs={KWARG_NAMES[key]: objects[key] for key in keys})
    response = getattr(client, method)(url)
    assert response.status_code == expected[user_name], (user_name, url)
    if response.status_code == 302 and user_name == "anonymous":
        assert response["Location"].startswith(reverse("login"))


# Pages with rules of their own, tested where those rules are: the log-in and password
# pages are for everyone (tests/regions/test_accounts.py, test_password_reset.py), the
# API takes a key instead of a session (tests/pricing/test_api.py), /health/ answers
# everyone (tests/samverkan/test_health.py), and Django admin checks is_staff itself.
OWN_RULES = {
    "health",
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "pricing:api_submit",
}


def _url_names(resolver, namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            yield from _url_names(pattern, ":".join(filter(None, (namespace, inner))))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_of_the_portal_has_a_row_in_the_table():
    names = {name for name in _url_names(get_resolver()) if not name.startswith("admin:")}
    assert sorted(names - {row[0] for row in ROWS} - OWN_RULES) == []
    assert OWN_RULES <= names  # an exemption for a page that is gone is a stale one
