"""The columns of the permission table and shorthands for common rows (see test_permissions.py)."""

USERS = [
    "kansli",
    "kansli_sodra",
    "board_member",
    "group_lead",
    "price_contact_dalarna",
    "anonymous",
]

# Shorthands for the columns above.
PUBLIC = dict.fromkeys(USERS, 200)
KANSLI_ONLY = {
    "kansli": 200,
    "kansli_sodra": 403,
    "board_member": 403,
    "group_lead": 403,
    "price_contact_dalarna": 403,
    "anonymous": 302,
}
INSIDERS = {
    "kansli": 200,
    "kansli_sodra": 404,
    "board_member": 200,
    "group_lead": 404,
    "price_contact_dalarna": 404,
    "anonymous": 404,
}
INSIDERS_LOGIN = {**INSIDERS, "anonymous": 302}
# Changing something only insiders can see: outsiders must not learn that it exists.
KANSLI_ON_HIDDEN = {
    "kansli": 200,
    "kansli_sodra": 404,
    "board_member": 403,
    "group_lead": 404,
    "price_contact_dalarna": 404,
    "anonymous": 302,
}


def write(table):
    """The same table for a successful POST, which redirects."""
    return {user: 302 if status == 200 else status for user, status in table.items()}
