"""The signed-in user's row and object permissions, kept in the cache (Redis) between
requests.

Every signed-in request loads its user (django.contrib.auth, through
samverkan.auth.PortalModelBackend) and nearly every page asks what the user may do
(`selectors.permissions_for_user`). Both change rarely, so both are kept here and read
in one round trip; a page served from the cache then needs no query at all.

The user's row is kept under a generation of its own, bumped whenever the user is
saved or deleted (a new password, deactivation, a new name, the last login), so the
session check against the password hash and `is_active` see every change on the next
request. The permissions are kept per user under one generation for everyone, bumped
by every write that can change someone's object permissions: a permission row saved
or deleted, a user put into or taken out of a group, a group deleted. A user given a
role has it on the next request.

Generations are bumped at once and again after commit: at once, so the writing request
(and a test inside one transaction) sees the change; after commit, because a reader in
between may have stored the old row under the new number. Superuser and active status
are read from the user's row, not from the permissions. A write that sends no signals
(a queryset update of users or of permission rows, bulk_create) is seen when the entry
expires: within USER_LIFETIME or LIFETIME.
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from core import generations

GENERATION_KEY = "regions:permissions:generation"
LIFETIME = 10 * 60
USER_LIFETIME = 5 * 60


def _key(user_id: int) -> str:
    return f"regions:permissions:{user_id}"


def _user_key(user_id: int) -> str:
    return f"regions:user:{user_id}"


def _user_generation_key(user_id: int) -> str:
    return f"regions:user:{user_id}:generation"


def user_get(user_id: int, load):
    """The user's row, from the cache or `load()` (None: no such user), with the user's
    permissions attached (`prefetched_permissions`) when the cache has them too."""
    (user, user_generation), (permissions, _) = generations.fetch_many(
        [(_user_key(user_id), _user_generation_key(user_id)), (_key(user_id), GENERATION_KEY)]
    )
    if user is None:
        user = load()
        if user is None:
            return None
        generations.store(_user_key(user_id), user_generation, user, USER_LIFETIME)
    user.prefetched_permissions = permissions
    return user


def get(user_id: int, load):
    """The user's permissions, from the cache or `load()`."""
    return generations.get_or_load(_key(user_id), GENERATION_KEY, load, LIFETIME)


def _twice(bump) -> None:
    bump()
    transaction.on_commit(bump)


def changed() -> None:
    """Make every user's cached permissions stale, now and once the transaction commits."""
    _twice(partial(generations.bump, GENERATION_KEY))


def _changed(sender, **kwargs):
    changed()


def _user_changed(sender, instance, **kwargs):
    _twice(partial(generations.bump, _user_generation_key(instance.pk)))


def connect_signals() -> None:
    """Called from RegionsConfig.ready(): the writes that change users and their object
    permissions."""
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    for label in (
        "regions.HealthcareRegionGroupObjectPermission",
        "regions.HealthcareRegionUserObjectPermission",
        "regions.RegionGroupObjectPermission",
        "regions.RegionUserObjectPermission",
    ):
        model = apps.get_model(label)
        post_save.connect(_changed, sender=model, dispatch_uid=f"permissions-{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"permissions-del-{label}")
    post_delete.connect(_changed, sender=Group, dispatch_uid="permissions-del-group")
    post_save.connect(_user_changed, sender=get_user_model(), dispatch_uid="user-saved")
    post_delete.connect(_user_changed, sender=get_user_model(), dispatch_uid="user-deleted")
    m2m_changed.connect(
        _changed, sender=get_user_model().groups.through, dispatch_uid="permissions-user-groups"
    )
