"""What every editing page shares: binding forms, saving through a service, refusing
lost updates (the form carries the version the editor loaded: ConcurrencyMixin), and
recording who made a change.

Writes are services (one transaction each) that lock the row they change and refuse
the write when it changed since the editor loaded it; views run them through
`save_form`, which turns a refusal into form errors the user can act on.
"""

import datetime

import pghistory
from django import forms
from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class ConcurrentEditError(Exception):
    """The row was changed by someone else after the editor loaded it."""

    def __init__(self, current):
        super().__init__(_("Någon annan har ändrat uppgifterna medan du redigerade."))
        self.current = current


def history_context(actor):
    """Record `actor` as who made the changes the history triggers write inside this block."""
    return pghistory.context(user=actor.pk if actor else None)


def lock_unchanged(model, pk, expected_updated_at: datetime.datetime | None):
    """Lock the row; refuse the write if it changed since the editor loaded it.

    Call inside a transaction. With no expected version (a form without one) the
    row is only locked.
    """
    current = model.objects.select_for_update().get(pk=pk)
    if expected_updated_at is not None and current.updated_at != expected_updated_at:
        raise ConcurrentEditError(current)
    return current


# For pages that show the saved version above the form: %(what)s is what was changed.
CONFLICT_SHOWN_ABOVE = gettext_lazy(
    "Någon annan har ändrat %(what)s medan du redigerade. Den senast sparade versionen "
    "visas ovanför formuläret och din text finns kvar i det. Spara igen för att ersätta den."
)


def form_data(request):
    """The POST data to bind a form to, or None on GET.

    Unlike `request.POST or None`, an empty POST still binds the form, so a submit
    with nothing filled in is told what is missing instead of seeing a blank form again.
    """
    return request.POST if request.method == "POST" else None


def save_form(form, save, *, conflict_message: str = ""):
    """Run a service for a valid form; turn what it refuses into form errors.

    Returns the saved object, or None when the form is to be shown again. After a
    conflict the form keeps what the user typed, carries the newer version (so the
    next save is a deliberate choice) and exposes it as `form.conflict` for display.
    """
    if not form.is_valid():
        return None
    try:
        return save(form.cleaned_data)
    except ConcurrentEditError as conflict:
        form.reload_version(conflict.current)
        form.conflict = conflict.current
        form.add_error(None, conflict_message or str(conflict))
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
    return None


class ConcurrencyMixin(forms.Form):
    """Carries the version the editor loaded, so a save over someone else's change is refused."""

    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        if instance is not None and instance.pk and not self.is_bound:
            self.initial["loaded_version"] = instance.updated_at.isoformat()

    def expected_version(self) -> datetime.datetime | None:
        value = self.cleaned_data.get("loaded_version")
        return parse_datetime(value) if value else None

    def reload_version(self, current) -> None:
        """After a conflict: keep what the user typed, but let the next save go through."""
        data = self.data.copy()
        data[self.add_prefix("loaded_version")] = current.updated_at.isoformat()
        self.data = data
