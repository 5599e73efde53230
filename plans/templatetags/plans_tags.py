from django import template
from django.db.models import Manager
from django.utils.safestring import mark_safe

register = template.Library()

RICH = {"introduction", "agreement_text", "plan_text", "description", "text"}


@register.filter
def saved_value(obj, name):
    """A field of the newer saved version, as the page shows it, for the conflict box."""
    value = getattr(obj, name, "")
    if isinstance(value, Manager):
        return ", ".join(str(v) for v in value.all())
    if name in RICH:
        # Stored sanitised (plans.richtext), so it is safe to render as HTML.
        return mark_safe(value)  # noqa: S308
    return "" if value is None else str(value)


@register.filter
def rich(value):
    """Text stored sanitised by plans.richtext: render its HTML."""
    return mark_safe(value or "")  # noqa: S308
