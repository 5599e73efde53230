"""Forms of the kunskapsstyrning pages. They validate and render; saving goes through services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.editing import ConcurrencyMixin
from core.widgets import DateInput
from knowledge.models import (
    CouncilRole,
    Goal,
    GroupKind,
    GroupRole,
    Hosting,
    Indicator,
    KnowledgeCouncil,
    PatientPromise,
    RegionalGroup,
)
from knowledge.selectors import kind_names, regions_of
from regions.models import HealthcareRegion, Person


class RegionalGroupForm(ConcurrencyMixin, forms.ModelForm):
    class Meta:
        model = RegionalGroup
        fields = [
            "kind",
            "name",
            "state",
            "formed_on",
            "closed_on",
            "national_program_area",
            "national_group",
            "council",
            "parent",
            "mandate",
            "note",
        ]
        widgets = {
            "formed_on": DateInput(),
            "closed_on": DateInput(),
            "mandate": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, healthcare_region: HealthcareRegion, **kwargs):
        super().__init__(*args, **kwargs)
        names = kind_names(healthcare_region)
        self.fields["kind"].choices = [("", _("Välj typ"))] + [
            (kind, f"{names[kind].abbreviation} – {names[kind].name}") for kind in GroupKind.values
        ]
        self.fields["council"].queryset = KnowledgeCouncil.objects.filter(
            healthcare_region=healthcare_region
        )
        self.fields["council"].empty_label = _("Inget kunskapsråd")
        parents = RegionalGroup.objects.filter(healthcare_region=healthcare_region)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].empty_label = _("Ingen")
        self.fields["national_program_area"].empty_label = _("Ingen")
        self.fields["national_group"].empty_label = _("Ingen")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("state") == RegionalGroup.State.CLOSED and not cleaned.get("closed_on"):
            self.add_error("closed_on", _("Ange när gruppen avslutades."))
        return cleaned


class MandateForm(ConcurrencyMixin, forms.ModelForm):
    class Meta:
        model = RegionalGroup
        fields = ["mandate"]
        widgets = {"mandate": forms.Textarea(attrs={"rows": 12})}


class _PersonChoiceMixin(forms.Form):
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

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("person"):
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


class GroupMembershipForm(_PersonChoiceMixin, forms.Form):
    region = forms.ModelChoiceField(
        label=_("Representerar"), queryset=None, empty_label=_("Välj region")
    )
    role = forms.ChoiceField(label=_("Roll"), choices=[("", _("Välj roll")), *GroupRole.choices])
    starts_on = forms.DateField(label=_("Från"), widget=DateInput())
    ends_on = forms.DateField(label=_("Till och med"), widget=DateInput(), required=False)

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

    def __init__(
        self, *args, healthcare_region: HealthcareRegion, roles=GroupRole.choices, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.all()
        self.fields["region"].queryset = regions_of(healthcare_region)
        self.fields["role"].choices = [("", _("Välj roll")), *roles]
        self.initial.setdefault("starts_on", timezone.localdate())


class CouncilMembershipForm(GroupMembershipForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, roles=CouncilRole.choices, **kwargs)


class CouncilForm(forms.ModelForm):
    groups = forms.ModelMultipleChoiceField(
        label=_("Ingående programområden"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = KnowledgeCouncil
        fields = ["name", "description", "rotates_leadership", "rotation_years"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, healthcare_region: HealthcareRegion, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = RegionalGroup.objects.filter(
            healthcare_region=healthcare_region,
            kind__in=[GroupKind.PROGRAM_AREA, GroupKind.CANCER_CENTRE],
        )


class IndicatorValueForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Region"), queryset=None, empty_label=_("Välj region"))
    year = forms.IntegerField(label=_("År"), min_value=1990, max_value=2100)
    value = forms.DecimalField(
        label=_("Värde"),
        max_digits=12,
        decimal_places=2,
        localize=True,
        help_text=_("Decimaler skrivs med komma, t.ex. 72,5."),
    )

    def __init__(self, *args, healthcare_region: HealthcareRegion, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_of(healthcare_region)


class IndicatorUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fil"),
        help_text=_(
            "CSV (semikolon- eller kommaseparerad), Excel (.xlsx) eller OpenDocument (.ods) "
            "med kolumnerna "
            "region (länskod eller namn), år och värde. Decimaler med komma."
        ),
    )


class GoalForm(ConcurrencyMixin, forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["title", "program_area", "promise", "description", "is_published"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, healthcare_region: HealthcareRegion, **kwargs):
        super().__init__(*args, **kwargs)
        # Only this sjukvårdsregion's rows are choices: a forged id is "not a valid choice".
        self.fields["program_area"].queryset = RegionalGroup.objects.filter(
            healthcare_region=healthcare_region,
            kind__in=[GroupKind.PROGRAM_AREA, GroupKind.CANCER_CENTRE],
        )
        self.fields["program_area"].empty_label = _("Inget programområde")
        self.fields["promise"].queryset = PatientPromise.objects.filter(
            healthcare_region=healthcare_region
        )
        self.fields["promise"].empty_label = _("Inget löfte")


class IndicatorForm(ConcurrencyMixin, forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["name", "unit", "higher_is_better", "target", "source"]
        localized_fields = ["target"]
        help_texts = {
            "target": _(
                "Lämnas tomt om indikatorn saknar målvärde. Decimaler skrivs med komma, t.ex. 72,5."
            )
        }


class HostingForm(forms.ModelForm):
    class Meta:
        model = Hosting
        fields = ["program_area", "starts_on", "ends_on", "note"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program_area"].empty_label = _("Välj programområde")
        self.initial.setdefault("starts_on", timezone.localdate())

    def _post_clean(self):
        # The healthcare region is not a field here, so the model cannot be validated yet;
        # the service validates it whole.
        pass
