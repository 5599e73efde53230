"""Users' object permissions, kept in the cache (Redis) between requests.

Every signed-in page asks what the user may do (`selectors.permissions_for_user`), and
the answer only changes when a role is granted or taken away. The query behind it (four
permission tables, their groups) takes longer to plan than a page of ours takes to
serve from the cache, so the answer is kept per user under one generation number for
everyone, read in the same round trip as the entry. Every write that can change
someone's object permissions bumps the generation: a permission row saved or deleted,
a user put into or taken out of a group, a group deleted. A user given a role has it
on the next request.

The generation is bumped at once and again after commit: at once, so the writing
request (and a test inside one transaction) sees the change; after commit, because a
reader in between may have stored the old permissions under the new number.

Superuser and active status are not kept here: they are read from the user's row,
loaded on every request anyway. A write that sends no signals (a queryset update of
permission rows, bulk_create) is seen when the entry expires.
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from samverkan import generations

GENERATION_KEY = "regions:permissions:generation"
LIFETIME = 10 * 60


def _key(user_id: int) -> str:
    return f"regions:permissions:{user_id}"


def get(user_id: int, load):
    """The user's permissions, from the cache or `load()`."""
    return generations.get_or_load(_key(user_id), GENERATION_KEY, load, LIFETIME)


_bump = partial(generations.bump, GENERATION_KEY)


def changed() -> None:
    """Make every user's cached permissions stale, now and once the transaction commits."""
    _bump()
    transaction.on_commit(_bump)


def _changed(sender, **kwargs):
    changed()


def connect_signals() -> None:
    """Called from RegionsConfig.ready(): the writes that change object permissions."""
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    for label in ("regions.HealthcareRegionGroupObjectPermission",
                  "regions.HealthcareRegionUserObjectPermission",
                  "regions.RegionGroupObjectPermission",
                  "regions.RegionUserObjectPermission"):
        model = apps.get_model(label)
        post_save.connect(_changed, sender=model, dispatch_uid=f"permissions-{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"permissions-del-{label}")
    post_delete.connect(_changed, sender=Group, dispatch_uid="permissions-del-group")
    m2m_changed.connect(_changed, sender=get_user_model().groups.through,
                        dispatch_uid="permissions-user-groups")
