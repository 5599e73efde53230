"""Forms of the återrapport pages. They validate and render; saving goes through services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.editing import ConcurrencyMixin
from plans.forms import RICH_HELP, DecideForm, rich_text_widget
from plans.models import ActivityFollowUp, ActivityPlan, FollowUpReport, FollowUpStatus


class ReportCreateForm(forms.Form):
    activity_plan = forms.ModelChoiceField(
        label=_("Aktivitetsplan"), queryset=None, empty_label=_("Välj aktivitetsplan")
    )
    author_name = forms.CharField(label=_("Upprättare"), max_length=200, required=False)
    author_unit = forms.CharField(
        label=_("Upprättarens enhet"),
        max_length=200,
        required=False,
        initial=_("Samverkansnämndens kansli"),
    )
    report_date = forms.DateField(
        label=_("Datum"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, healthcare_region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity_plan"].queryset = ActivityPlan.objects.filter(
            healthcare_region=healthcare_region, follow_up_reports__isnull=True
        )


class ReportForm(ConcurrencyMixin, forms.ModelForm):
    class Meta:
        model = FollowUpReport
        fields = ["title", "author_name", "author_unit", "report_date", "introduction"]
        widgets = {
            "introduction": rich_text_widget(5),
            "report_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {"introduction": RICH_HELP}


class FollowUpForm(ConcurrencyMixin, forms.ModelForm):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Ej rapporterad"))] + list(FollowUpStatus.choices),
        required=False,
    )

    class Meta:
        model = ActivityFollowUp
        fields = ["status", "text"]
        widgets = {"text": rich_text_widget(8)}
        labels = {"text": _("Återrapport")}
        help_texts = {"text": RICH_HELP}


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Kommentar"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Skriv en kommentar.")},
    )


class ReportDecideForm(DecideForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].help_text = _("Lämnas tom: återrapportens rubrik.")
        self.fields["text"].help_text = _("Lämnas tom: ”Återrapporten läggs till handlingarna.”")
