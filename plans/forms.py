"""Forms of the plan pages. They validate and render; saving goes through services."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from core.editing import ConcurrencyMixin
from plans import selectors
from plans.models import Activity, ActivityPlan, FocusArea, OperationalPlan, PlanGoal, PlanSection

RICH_HELP = _(
    "Tom rad mellan stycken. Rader som börjar med ”- ” blir en punktlista; "
    "**fetstil**, *kursiv* och [länktext](https://…) fungerar också."
)


def rich_text_widget(rows=5):
    return forms.Textarea(attrs={"rows": rows, "data-rich-text": ""})


class OperationalPlanForm(ConcurrencyMixin, forms.ModelForm):
    class Meta:
        model = OperationalPlan
        fields = ["title", "start_year", "end_year", "introduction"]
        widgets = {"introduction": rich_text_widget(8)}
        help_texts = {"introduction": RICH_HELP}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_year"), cleaned.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", _("Slutåret kan inte vara före startåret."))
        return cleaned


class ActivityPlanForm(ConcurrencyMixin, forms.ModelForm):
    class Meta:
        model = ActivityPlan
        fields = ["operational_plan", "year", "title", "introduction"]
        widgets = {"introduction": rich_text_widget(5)}
        help_texts = {
            "introduction": RICH_HELP,
            "title": _("Lämnas tom: ”Aktivitetsplan” och året."),
        }

    def __init__(self, *args, healthcare_region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["operational_plan"].queryset = OperationalPlan.objects.filter(
            healthcare_region=healthcare_region
        )
        self.fields["operational_plan"].empty_label = _("Välj verksamhetsplan")
        if self.instance.pk:
            del self.fields["operational_plan"]


class SectionForm(ConcurrencyMixin, forms.ModelForm):
    class Meta:
        model = PlanSection
        fields = ["number", "heading", "agreement_text", "plan_text"]
        widgets = {"agreement_text": rich_text_widget(5), "plan_text": rich_text_widget(5)}
        help_texts = {
            "agreement_text": _("Text hämtad ur samverkansavtalet. ") + RICH_HELP,
            "plan_text": _("Planens egen text. ") + RICH_HELP,
        }


class GoalForm(ConcurrencyMixin, forms.ModelForm):
    class Meta:
        model = PlanGoal
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class FocusAreaForm(ConcurrencyMixin, forms.ModelForm):
    class Meta:
        model = FocusArea
        fields = ["name"]


class ActivityForm(ConcurrencyMixin, forms.ModelForm):
    class Meta:
        model = Activity
        fields = [
            "focus_area",
            "title",
            "description",
            "responsible_body",
            "responsible_group",
            "regions",
            "goals",
        ]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "description": rich_text_widget(5),
            "regions": forms.CheckboxSelectMultiple,
            "goals": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "description": RICH_HELP,
            "responsible_group": _("Ange antingen ett organ eller en grupp."),
        }

    def __init__(self, *args, plan: ActivityPlan, **kwargs):
        super().__init__(*args, **kwargs)
        hr = plan.healthcare_region
        self.fields["focus_area"].queryset = plan.focus_areas.all()
        self.fields["focus_area"].empty_label = None
        self.fields["responsible_body"].queryset = selectors.bodies_for(hr)
        self.fields["responsible_body"].empty_label = _("Inget organ")
        self.fields["responsible_group"].queryset = selectors.groups_for(hr)
        self.fields["responsible_group"].empty_label = _("Ingen grupp")
        self.fields["regions"].queryset = selectors.regions_for(hr)
        self.fields["goals"].queryset = selectors.goals_for(plan)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("responsible_body") and cleaned.get("responsible_group"):
            self.add_error(
                "responsible_group",
                _("Ange antingen ett ansvarigt organ eller en ansvarig grupp, inte båda."),
            )
        return cleaned


class MeetingChoiceField(forms.ModelChoiceField):
    # A meeting's own name is often just "Samverkansnämndens sammanträde": the date and
    # the body tell the choices apart.
    def label_from_instance(self, meeting):
        name = str(meeting)
        if meeting.body.name not in name:
            name = f"{meeting.body.name}: {name}"
        return f"{meeting.date:%Y-%m-%d} {name}"


class DecideForm(forms.Form):
    meeting = MeetingChoiceField(
        label=_("Sammanträde"), queryset=None, empty_label=_("Välj sammanträde")
    )
    paragraph = forms.IntegerField(
        label=_("Paragraf (§)"),
        min_value=1,
        required=False,
        help_text=_("Lämnas tom: nästa lediga § för organet det året."),
    )
    title = forms.CharField(
        label=_("Rubrik"),
        max_length=300,
        required=False,
        help_text=_("Lämnas tom: planens rubrik."),
    )
    text = forms.CharField(
        label=_("Beslut"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Lämnas tom: ”Nämnden fastställer …”."),
    )

    def __init__(self, *args, healthcare_region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = selectors.meetings_for_decision(healthcare_region)


class NextYearForm(forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)
    activities = forms.ModelMultipleChoiceField(
        label=_("Aktiviteter att föra över"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, plan: ActivityPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activities"].queryset = (
            Activity.objects.filter(focus_area__activity_plan=plan)
            .select_related("focus_area")
            .order_by("focus_area__position", "position")
        )
        self.fields["activities"].label_from_instance = lambda a: f"{a.focus_area.name}: {a.title}"
        self.initial.setdefault("year", plan.year + 1)
        self.initial.setdefault("activities", list(self.fields["activities"].queryset))


class ImportForm(forms.Form):
    MAX_BYTES = 2 * 1024 * 1024

    file = forms.FileField(
        label=_("Fil (XLSX, ODS eller CSV)"),
        help_text=_(
            "Excel (.xlsx), OpenDocument (.ods) eller CSV. Kolumner: Fokusområde, Aktivitet, "
            "Beskrivning, Ansvarig, Regioner. Högst 2 MB."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".xlsx", ".ods", ".csv")):
            raise forms.ValidationError(_("Filen måste vara en XLSX-, ODS- eller CSV-fil."))
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("Filen är större än 2 MB."))
        return upload


def this_year() -> int:
    return datetime.date.today().year
