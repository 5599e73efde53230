from django import forms
from django.utils.translation import gettext_lazy as _


class AccessibilityReportForm(forms.Form):
    page = forms.CharField(
        label=_("Vilken sida gäller det?"),
        max_length=500,
        required=False,
        help_text=_("Adressen eller namnet på sidan, om du vet det."),
    )
    description = forms.CharField(
        label=_("Beskriv problemet"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Beskriv vad som inte fungerar.")},
    )
    email = forms.EmailField(
        label=_("Din e-postadress"), required=False, help_text=_("Om du vill ha svar.")
    )
