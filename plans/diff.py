"""The differences between two versions of a plan, section by section and activity by
activity. Items are matched by their `origin`, which a copy keeps."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from plans import selectors
from plans.richtext import plain

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
STATUS_LABELS = {ADDED: _("Ny"), REMOVED: _("Borttagen"), CHANGED: _("Ändrad")}


@dataclass
class FieldChange:
    label: str
    before: str
    after: str


@dataclass
class ItemDiff:
    status: str
    label: str
    changes: list[FieldChange] = field(default_factory=list)
    children: list["ItemDiff"] = field(default_factory=list)

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]


def _compare(old, new, fields) -> list[FieldChange]:
    changes = []
    for label, getter in fields:
        before, after = getter(old) if old else "", getter(new) if new else ""
        if before != after:
            changes.append(FieldChange(str(label), before, after))
    return changes


def _match(old_items, new_items, label, fields, children=None) -> list[ItemDiff]:
    old_by_origin = {item.origin: item for item in old_items}
    result = []
    for item in new_items:
        before = old_by_origin.pop(item.origin, None)
        changes = _compare(before, item, fields)
        kids = children(before, item) if children else []
        if before is None:
            result.append(ItemDiff(ADDED, label(item), changes, kids))
        elif changes or kids:
            result.append(ItemDiff(CHANGED, label(item), changes, kids))
    result += [
        ItemDiff(REMOVED, label(item), _compare(item, None, fields))
        for item in old_by_origin.values()
    ]
    return result


SECTION_FIELDS = [
    (_("Paragraf"), lambda s: s.number),
    (_("Rubrik"), lambda s: s.heading),
    (_("Avtalets text"), lambda s: plain(s.agreement_text)),
    (_("Planens text"), lambda s: plain(s.plan_text)),
]
GOAL_FIELDS = [(_("Mål"), lambda g: plain(g.text))]


def operational_plan_diff(old, new) -> list[ItemDiff]:
    def goals(before, after):
        return _match(
            list(before.goals.all()) if before else [],
            list(after.goals.all()),
            lambda g: plain(g.text)[:90],
            GOAL_FIELDS,
        )

    intro = _compare(
        old,
        new,
        [(_("Rubrik"), lambda p: p.title), (_("Inledning"), lambda p: plain(p.introduction))],
    )
    result = [ItemDiff(CHANGED, str(_("Planen")), intro)] if intro else []
    return result + _match(
        selectors.sections_with_goals(old),
        selectors.sections_with_goals(new),
        str,
        SECTION_FIELDS,
        goals,
    )


def _names(items) -> str:
    return ", ".join(sorted(str(i) for i in items))


ACTIVITY_FIELDS = [
    (_("Aktivitet"), lambda a: a.title),
    (_("Fokusområde"), lambda a: a.focus_area_name),
    (_("Beskrivning"), lambda a: plain(a.description)),
    (_("Ansvarig"), lambda a: str(a.responsible or "")),
    (_("Berörda regioner"), lambda a: _names(a.regions.all())),
    (_("Mål"), lambda a: _names(a.goals.all())),
]


def _activities(plan):
    items = []
    for area in selectors.focus_areas_with_activities(plan):
        for activity in area.activities.all():
            activity.focus_area_name = area.name
            items.append(activity)
    return items


def activity_plan_diff(old, new) -> list[ItemDiff]:
    intro = _compare(
        old,
        new,
        [
            (_("Rubrik"), lambda p: p.title),
            (_("År"), lambda p: str(p.year)),
            (_("Inledning"), lambda p: plain(p.introduction)),
        ],
    )
    result = [ItemDiff(CHANGED, str(_("Planen")), intro)] if intro else []
    result += _match(
        list(old.focus_areas.all()),
        list(new.focus_areas.all()),
        str,
        [(_("Fokusområde"), lambda f: f.name)],
    )
    return result + _match(_activities(old), _activities(new), lambda a: a.title, ACTIVITY_FIELDS)
