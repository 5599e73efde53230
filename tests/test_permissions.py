"""Every view, every role: the status each user gets.

One row per (view, method); one column per user. 404 means the user may not know
the object exists, 403 that they may read it but not change it, 302 for an
anonymous visitor that the page needs a log-in (or a successful write). Later
features add their rows here.
"""

import pytest
from django.urls import reverse

from tests.factories import AgendaItemFactory, DecisionFactory, MembershipFactory
from tests.knowledge.permission_objects import knowledge_objects  # noqa: F401 (fixture)

USERS = ["kansli", "kansli_sodra", "board_member", "group_lead", "price_contact_dalarna", "anonymous"]

# Shorthands for the columns above.
PUBLIC = dict.fromkeys(USERS, 200)
KANSLI_ONLY = {"kansli": 200, "kansli_sodra": 403, "board_member": 403, "group_lead": 403,
               "price_contact_dalarna": 403, "anonymous": 302}
INSIDERS = {"kansli": 200, "kansli_sodra": 404, "board_member": 200, "group_lead": 404,
            "price_contact_dalarna": 404, "anonymous": 404}
INSIDERS_LOGIN = {**INSIDERS, "anonymous": 302}
# Changing something only insiders can see: outsiders must not learn that it exists.
KANSLI_ON_HIDDEN = {"kansli": 200, "kansli_sodra": 404, "board_member": 403, "group_lead": 404,
                    "price_contact_dalarna": 404, "anonymous": 302}


def _write(table):
    """The same table for a successful POST, which redirects."""
    return {user: 302 if status == 200 else status for user, status in table.items()}


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
    ("knowledge:national", ("hr",), "get", PUBLIC),
    ("knowledge:search", ("hr",), "get", PUBLIC),
    ("knowledge:group", ("hr", "kgroup"), "get", PUBLIC),
    ("knowledge:group_create", ("hr",), "get", KANSLI_ONLY),
    ("knowledge:group_update", ("hr", "kgroup"), "get", KANSLI_ONLY),
    ("knowledge:group_mandate", ("hr", "kgroup"), "get", {**KANSLI_ONLY, "group_lead": 200}),
    ("knowledge:group_mandate", ("hr", "kgroup_other"), "get", KANSLI_ONLY),
    ("knowledge:group_membership_create", ("hr", "kgroup"), "get", KANSLI_ONLY),
    ("knowledge:group_membership_end", ("hr", "kmember"), "get", KANSLI_ONLY),
    ("knowledge:council", ("hr", "council"), "get", PUBLIC),
    ("knowledge:council_create", ("hr",), "get", KANSLI_ONLY),
    ("knowledge:council_membership_create", ("hr", "council"), "get", KANSLI_ONLY),
    ("knowledge:goals", ("hr",), "get", PUBLIC),
    ("knowledge:goal", ("hr", "goal"), "get", PUBLIC),
    ("knowledge:indicator_value_create", ("hr", "indicator"), "get", KANSLI_ONLY),
    ("knowledge:indicator_upload", ("hr", "indicator"), "get", KANSLI_ONLY),
    ("knowledge:group_mandate", ("hr", "kgroup"), "post", _write({**KANSLI_ONLY, "group_lead": 200})),
    ("knowledge:group_mandate", ("hr", "kgroup_other"), "post", _write(KANSLI_ONLY)),
    ("knowledge:group_membership_create", ("hr", "kgroup"), "post", KANSLI_ONLY),
    ("knowledge:indicator_upload", ("hr", "indicator"), "post", KANSLI_ONLY),
]


@pytest.fixture
def objects(mellansverige, board, uppsala, draft_meeting, published_meeting, knowledge_objects):  # noqa: F811
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
    }


KWARG_NAMES = {"kgroup": "pk", "kgroup_other": "pk", "kmember": "pk", "council": "pk",
               "goal": "pk", "indicator": "pk",
               "hr": "hr", "body": "pk", "membership": "pk", "draft": "pk", "published": "pk",
               "item": "item_pk", "decision": "decision_pk"}


@pytest.mark.django_db
@pytest.mark.parametrize("user_name", USERS)
@pytest.mark.parametrize(("url_name", "keys", "method", "expected"), ROWS,
                         ids=[f"{r[0]}-{'-'.join(r[1])}-{r[2]}" for r in ROWS])
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
