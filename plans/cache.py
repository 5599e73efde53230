"""Rendered read-only plans, kept in the cache (Redis, shared by every process).

A decided or archived plan cannot change (services refuse every edit: a change is a
new version), so the HTML of its sections and goals, or fokusområden and
activities, is the same for every reader and is rendered once. What the items show
of other rows can still change: the name of a responsible body or group, a region,
a goal of the verksamhetsplan. Every write of those, and of any plan item (Django
admin may edit anything), bumps one generation number after commit; an entry stored
under an older generation is rendered again. Writes that send no signals (queryset
update, bulk_create, COPY) are covered by the entries' lifetime.

The generation is read in the same round trip as the entry, so a cache hit costs one
Redis GET and no queries.

Anonymous visitors, who read decided plans as allmänna handlingar, get the whole page
from the cache (`anonymous_page`): nothing on it depends on who they are. Writes of
the plans themselves, their decisions and meetings, and the sjukvårdsregion, bump the
same generation, so a plan archived or given a new version is shown as such.
"""

import hashlib
import secrets
from functools import wraps

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.safestring import SafeString, mark_safe

GENERATION_KEY = "plans:items:generation"
LIFETIME = 24 * 60 * 60


def _key(plan) -> str:
    return f"plans:items:{plan._meta.model_name}:{plan.pk}:{plan.updated_at.timestamp()}"


def read_only_items(plan, render) -> SafeString | None:
    """The items' HTML of a read-only plan, from the cache or `render()`; None if editable."""
    if plan.is_editable:
        return None
    key = _key(plan)
    found = cache.get_many([key, GENERATION_KEY])
    generation = found.get(GENERATION_KEY, 0)
    entry = found.get(key)
    if entry is not None and entry[0] == generation:
        return mark_safe(entry[1])  # noqa: S308 - rendered by our own template
    html = render()
    cache.set(key, (generation, str(html)), LIFETIME)
    return mark_safe(html)  # noqa: S308


def anonymous_page(view):
    """Serve a plan page to anonymous visitors from the cache when the view marked its
    response `cacheable` (a decided or archived plan); everyone else gets it rendered."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if (request.method != "GET" or request.user.is_authenticated or request.htmx
                or len(get_messages(request))):
            return view(request, *args, **kwargs)
        path = request.get_full_path().encode()
        key = f"plans:page:{hashlib.sha256(path).hexdigest()}"
        found = cache.get_many([key, GENERATION_KEY])
        generation = found.get(GENERATION_KEY, 0)
        entry = found.get(key)
        if entry is not None and entry[0] == generation:
            return HttpResponse(entry[1])
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and getattr(response, "cacheable", False):
            cache.set(key, (generation, response.content), LIFETIME)
        return response

    return wrapper


def changed() -> None:
    """Make every cached plan stale once the current transaction commits; for writes
    that send no signals (a queryset update)."""
    transaction.on_commit(_bump)


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        # No generation (never set, or evicted): start from a random one, so that entries
        # stored under an earlier count cannot match again when the count comes back.
        cache.set(GENERATION_KEY, secrets.randbits(62), timeout=None)


def _changed(sender, **kwargs):
    # After commit: a reader filling the cache before the write commits would store the
    # old text under the new generation.
    transaction.on_commit(_bump)


def connect_signals() -> None:
    """Called from PlansConfig.ready(): writes that make rendered items stale."""
    from django.apps import apps

    models = [apps.get_model(label) for label in (
        "plans.OperationalPlan", "plans.ActivityPlan", "plans.PlanSection", "plans.PlanGoal", "plans.FocusArea", "plans.Activity",
        "plans.ActivityRegion", "plans.ActivityGoal",
        "regions.Body", "regions.Region", "regions.HealthcareRegion", "regions.Meeting",
        "regions.Decision", "knowledge.RegionalGroup",
    )]
    for model in models:
        post_save.connect(_changed, sender=model, dispatch_uid=f"plans-items-{model._meta.label}")
        post_delete.connect(_changed, sender=model,
                            dispatch_uid=f"plans-items-del-{model._meta.label}")
    for through in (apps.get_model("plans.Activity").regions.through,
                    apps.get_model("plans.Activity").goals.through):
        m2m_changed.connect(_changed, sender=through,
                            dispatch_uid=f"plans-items-m2m-{through._meta.label}")
