"""Forms of the governance pages. They validate and render; saving goes through services."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.editing import ConcurrencyMixin
from core.widgets import DateInput, TimeInput
from regions.models import AgendaItem, Body, Decision, Meeting, Membership, Person, Region


class MeetingForm(ConcurrencyMixin, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["body", "date", "start_time", "place", "title", "notes"]
        widgets = {
            "date": DateInput(),
            "start_time": TimeInput(),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "title": _(
                "Till exempel ”Samverkansnämndens sammanträde”. Lämnas tom: organ och datum."
            )
        }

    def __init__(self, *args, healthcare_region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.filter(healthcare_region=healthcare_region)
        self.fields["body"].empty_label = _("Välj organ")


class AgendaItemForm(ConcurrencyMixin, forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["number", "title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"number": _("Lämnas tom: nästa nummer på dagordningen.")}

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["number"].required = False

    def clean_number(self):
        number = self.cleaned_data.get("number")
        if number is None:
            return None
        clash = AgendaItem.objects.filter(meeting=self.meeting, number=number)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(
                _("Ärende %(n)s finns redan på dagordningen."), params={"n": number}
            )
        return number


class DecisionForm(ConcurrencyMixin, forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["paragraph", "agenda_item", "title", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "paragraph": _("Lämnas tom: nästa lediga § för organet i år."),
            "text": _("Beslutstexten som den står i protokollet."),
        }

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paragraph"].required = False
        self.fields["agenda_item"].queryset = meeting.agenda_items.all()
        self.fields["agenda_item"].empty_label = _("Inget ärende")


class MembershipForm(ConcurrencyMixin, forms.ModelForm):
    person = forms.ModelChoiceField(
        label=_("Person"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("Ny person (fyll i namnet nedan)"),
    )
    first_name = forms.CharField(label=_("Förnamn (ny person)"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Efternamn (ny person)"), max_length=100, required=False)
    title = forms.CharField(
        label=_("Titel eller uppdrag (ny person)"), max_length=200, required=False
    )

    # The new person's name right below the list it replaces, as the list's empty choice says.
    field_order = [
        "person",
        "first_name",
        "last_name",
        "title",
        "region",
        "role",
        "starts_on",
        "ends_on",
    ]

    class Meta:
        model = Membership
        fields = ["person", "region", "role", "starts_on", "ends_on"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        self.body = body
        self.fields["person"].queryset = Person.objects.all()
        self.fields["region"].queryset = Region.objects.filter(
            Q(healthcare_region=body.healthcare_region_id)
            | Q(cooperates_with=body.healthcare_region_id)
        )
        self.fields["region"].empty_label = _("Välj region")
        self.fields["role"].choices = [("", _("Välj roll")), *Membership.Role.choices]
        if self.instance.pk:
            for name in ("first_name", "last_name", "title"):
                del self.fields[name]
            self.fields["person"].required = True
            self.fields["person"].empty_label = None
        else:
            self.initial.setdefault("starts_on", timezone.localdate())

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk and not cleaned.get("person"):
            for name, message in (
                (
                    "first_name",
                    _("Ange förnamn för den nya personen, eller välj en person i listan."),
                ),
                (
                    "last_name",
                    _("Ange efternamn för den nya personen, eller välj en person i listan."),
                ),
            ):
                if not (cleaned.get(name) or "").strip():
                    self.add_error(name, message)
        return cleaned


class MembershipEndForm(forms.Form):
    ends_on = forms.DateField(label=_("Sista dag på uppdraget"), widget=DateInput())
