from django import template

from core import formatting

register = template.Library()


@register.simple_tag
def accessible_widget(field):
    """Render a field's widget tied to its help text and errors for screen readers."""
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_help")
    described += [f"{field.auto_id}_error{i}" for i in range(1, len(field.errors) + 1)]
    attrs = {}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def kronor(value, decimals=0):
    """74750 → '74 750 kr' (core.formatting), nothing for no value."""
    if value in (None, ""):
        return ""
    return formatting.kronor(value, int(decimals))


@register.filter
def attr_display(obj, name):
    """A model field's value as shown to a person (choice label, related object's name)."""
    display = getattr(obj, f"get_{name}_display", None)
    value = display() if callable(display) else getattr(obj, name, "")
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()[:16].replace("T", " ")
    return str(value)
