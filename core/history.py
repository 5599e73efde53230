"""History pages: the changes django-pghistory records, as entries a person can read.

The rows are written by database triggers, so changes made by bulk writes, imports,
the admin or a shell are recorded as well as those from the pages. An app says which
events belong to an owner (a sjukvårdsregion, a plan) and how its rows are called;
this module turns a page of events into entries with Swedish field names and the
names of what the rows point at, loaded in one query per kind of row.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

HIDDEN_FIELDS = frozenset({"id", "created_at", "updated_at"})
LABELS = {"insert": _("Skapad"), "update": _("Ändrad"), "delete": _("Borttagen")}
PAGE_SIZE = 50


@dataclass
class Change:
    field: str
    before: str
    after: str


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    action: str
    what: str
    object_label: str
    changes: list[Change]


@dataclass(frozen=True)
class HistorySource:
    """One tracked model's events, and how to pick those of one owner."""

    event_model: str
    scope: Callable[[object], Q]


_SOURCES: list[HistorySource] = []


def register_history_source(event_model: str, scope: Callable[[object], Q]) -> None:
    """Show a tracked model's changes on the sjukvårdsregion's Historik page.

    Apps register their models here from AppConfig.ready, so the page covers them
    without the app that shows it importing them.
    """
    if all(source.event_model != event_model for source in _SOURCES):
        _SOURCES.append(HistorySource(event_model, scope))


def registered_sources() -> list[HistorySource]:
    return list(_SOURCES)


def by_field(field: str) -> Callable[[object], Q]:
    """Events whose row has `field` equal to the owner's id."""
    return lambda owner: Q(**{f"pgh_data__{field}": owner.pk})


def by_parent(field: str, parent_ids: Callable[[object], list[int]]) -> Callable[[object], Q]:
    """Events whose row points (`field`) at one of the owner's parent rows."""
    return lambda owner: Q(**{f"pgh_data__{field}__in": parent_ids(owner)})


def _foreign_key(model, name: str):
    try:
        field = model._meta.get_field(name.removesuffix("_id"))
    except FieldDoesNotExist:
        return None
    # A GenericForeignKey (Decision.subject) is many-to-one too, but to no one model.
    return field if field.many_to_one and field.related_model is not None else None


def field_label(model, field_name: str) -> str:
    try:
        return str(model._meta.get_field(field_name.removesuffix("_id")).verbose_name).capitalize()
    except FieldDoesNotExist:
        return field_name


class Names:
    """What the rows of a page of events point at, by name, in one query per kind of row.

    `text` turns a stored text into what the page shows (rich text into plain text).
    """

    def __init__(self, events, *, text: Callable[[str], str] = str):
        self._text = text
        wanted = defaultdict(set)
        for event in events:
            model = apps.get_model(event.pgh_obj_model)
            values = list((event.pgh_data or {}).items())
            values += [(name, v) for name, pair in (event.pgh_diff or {}).items() for v in pair]
            for name, value in values:
                field = _foreign_key(model, name)
                if field is not None and value is not None:
                    wanted[field.related_model].add(value)
        self._names = {}
        for related, ids in wanted.items():
            joins = [f.name for f in related._meta.fields if f.many_to_one]
            rows = related._default_manager.select_related(*joins).in_bulk(ids)
            self._names[related] = {pk: str(row) for pk, row in rows.items()}

    def display(self, model, name: str, value) -> str:
        if value is None or value == "":
            return "–"
        field = _foreign_key(model, name)
        if field is not None:
            return self._names.get(field.related_model, {}).get(
                value, f"#{value} ({_('borttagen')})"
            )
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return str(value)
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return str(_("ja") if value else _("nej"))
        return self._text(value) if isinstance(value, str) else str(value)


def history_entries(
    events: Iterable,
    *,
    object_label: Callable[[Names, object, dict], str],
    hidden: Iterable[str] = HIDDEN_FIELDS,
    text: Callable[[str], str] = str,
) -> list[HistoryEntry]:
    """The events as entries, each with who, what and its changed fields, in their order.

    `object_label(names, model, data)` names the row an event is about. An update that
    changed only hidden fields is left out.
    """
    events = list(events)
    hidden = frozenset(hidden)
    user_ids = {(e.pgh_context or {}).get("user") for e in events} - {None}
    users = {u.pk: str(u) for u in get_user_model().objects.filter(pk__in=user_ids)}
    names = Names(events, text=text)
    entries = []
    for event in events:
        model = apps.get_model(event.pgh_obj_model)
        data = event.pgh_data or {}
        if event.pgh_label == "update":
            changes = [
                Change(
                    field_label(model, name),
                    names.display(model, name, old),
                    names.display(model, name, new),
                )
                for name, (old, new) in (event.pgh_diff or {}).items()
                if name not in hidden
            ]
            if not changes:
                continue
        else:
            inserted = event.pgh_label == "insert"
            changes = [
                Change(
                    field_label(model, name),
                    "" if inserted else names.display(model, name, value),
                    names.display(model, name, value) if inserted else "",
                )
                for name, value in data.items()
                if name not in hidden and value not in (None, "")
            ]
        user_id = (event.pgh_context or {}).get("user")
        entries.append(
            HistoryEntry(
                when=event.pgh_created_at,
                who=users.get(user_id, _("systemet") if user_id is None else f"#{user_id}"),
                action=str(LABELS.get(event.pgh_label, event.pgh_label)),
                what=str(model._meta.verbose_name).capitalize(),
                object_label=object_label(names, model, data),
                changes=changes,
            )
        )
    return entries


def history_page(request, load: Callable[..., list[HistoryEntry]]) -> dict:
    """A Historik page's context: one page (`?sida=`) of `load(limit=, offset=)`."""
    try:
        page = max(1, int(request.GET.get("sida", "1")))
    except ValueError:
        page = 1
    events = load(limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    return {
        "events": events[:PAGE_SIZE],
        "page": page,
        "older_page": page + 1 if len(events) > PAGE_SIZE else None,
        "newer_page": page - 1 if page > 1 else None,
    }
