"""Rendered read-only plans, kept in the cache (Redis, shared by every process).

A decided or archived plan cannot change (services refuse every edit: a change is a
new version), so the HTML of its sections and goals, or fokusområden and
activities, is the same for every reader and is rendered once. What the items show
of other rows can still change: the name of a responsible body or group, a region,
a goal of the verksamhetsplan. Every write of those, and of any plan item (Django
admin may edit anything), bumps one generation number after commit; an entry stored
under an older generation is rendered again. Writes that send no signals (queryset
update, bulk_create, COPY) are covered by the entries' lifetime.

The generation is read in the same round trip as the entry (core.generations), so
a cache hit costs one Redis GET and no queries.

Anonymous visitors, who read decided plans as allmänna handlingar, and signed-in
readers get the whole page from the cache (`shared_page`), one copy for each set of
permissions: nothing else on it depends on who they are, but for the name in the
header and the CSRF token, filled in per request. Writes of the plans themselves,
their decisions and meetings, and the sjukvårdsregion, bump the same generation, so a
plan archived or given a new version is shown as such; a user given a role has other
permissions, so another entry, at once.
"""

import hashlib
from functools import partial, wraps

from django.contrib.messages import get_messages
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.safestring import SafeString, mark_safe

from core import generations, shared_pages
from regions.selectors import permissions_for_user

GENERATION_KEY = "plans:items:generation"
LIFETIME = 24 * 60 * 60


def _key(plan) -> str:
    return f"plans:items:{plan._meta.model_name}:{plan.pk}:{plan.updated_at.timestamp()}"


def read_only_items(plan, render) -> SafeString | None:
    """The items' HTML of a read-only plan, from the cache or `render()`; None if editable."""
    if plan.is_editable:
        return None
    html = generations.get_or_load(_key(plan), GENERATION_KEY, lambda: str(render()), LIFETIME)
    return mark_safe(html)  # noqa: S308 - rendered by our own template


def _audience(request) -> str:
    """Who a page is rendered for, as far as a plan page can tell: anonymous, or signed
    in with exactly these permissions (the page shows the kansli's buttons, the drafts
    of the next version, the switcher between the user's sjukvårdsregioner from them).
    Everything else about the user is filled in per request (core.shared_pages)."""
    if not request.user.is_authenticated:
        return "anonymous"
    return permissions_for_user(request.user).fingerprint()


def shared_page(view):
    """Serve a plan page from the cache when the view marked its response `cacheable`
    (a decided or archived plan), to everyone with the same permissions: anonymous
    visitors, who read decided plans as allmänna handlingar, and signed-in readers.

    The page is rendered with markers for the reader's name and CSRF token and kept
    like that; each response gets the reader's own filled in (core.shared_pages).
    A page with messages to show, an htmx request and anything but GET is rendered.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET" or request.htmx or len(get_messages(request)):
            return view(request, *args, **kwargs)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"plans:page:{_audience(request)}:{path}"
        content, generation = generations.fetch(key, GENERATION_KEY)
        if content is not None:
            return HttpResponse(shared_pages.personalise(content, request))
        with shared_pages.rendering_shared(request):
            response = view(request, *args, **kwargs)
        if response.status_code == 200 and getattr(response, "cacheable", False):
            generations.store(key, generation, response.content, LIFETIME)
        if not response.streaming:
            response.content = shared_pages.personalise(response.content, request)
        return response

    return wrapper


_bump = partial(generations.bump, GENERATION_KEY)


def changed() -> None:
    """Make every cached plan stale once the current transaction commits; for writes
    that send no signals (a queryset update)."""
    transaction.on_commit(_bump)


def _changed(sender, **kwargs):
    # After commit: a reader filling the cache before the write commits would store the
    # old text under the new generation.
    transaction.on_commit(_bump)


def connect_signals() -> None:
    """Called from PlansConfig.ready(): writes that make rendered items stale."""
    from django.apps import apps

    models = [
        apps.get_model(label)
        for label in (
            "plans.OperationalPlan",
            "plans.ActivityPlan",
            "plans.PlanSection",
            "plans.PlanGoal",
            "plans.FocusArea",
            "plans.Activity",
            "plans.ActivityRegion",
            "plans.ActivityGoal",
            "regions.Body",
            "regions.Region",
            "regions.HealthcareRegion",
            "regions.Meeting",
            "regions.Decision",
            "knowledge.RegionalGroup",
        )
    ]
    for model in models:
        post_save.connect(_changed, sender=model, dispatch_uid=f"plans-items-{model._meta.label}")
        post_delete.connect(
            _changed, sender=model, dispatch_uid=f"plans-items-del-{model._meta.label}"
        )
    for through in (
        apps.get_model("plans.Activity").regions.through,
        apps.get_model("plans.Activity").goals.through,
    ):
        m2m_changed.connect(
            _changed, sender=through, dispatch_uid=f"plans-items-m2m-{through._meta.label}"
        )
