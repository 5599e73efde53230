from decimal import Decimal

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.widgets import DateInput
from pricing.models import ApiToken, PriceList
from pricing.services import Rounding
from regions.models import Decision


class PriceUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fil med prisrader"),
        help_text=_(
            "CSV (semikolon- eller kommaseparerad), Excel (.xlsx) eller OpenDocument (.ods), "
            "högst 10 MB, med rubrikraden i mallen. Pris i kronor, t.ex. 74 750 eller 1 234,50."
        ),
        error_messages={"required": _("Välj filen som ska laddas upp.")},
    )


class PriceListCreateForm(forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)
    deadline = forms.DateField(label=_("Sista dag för inlämning"), widget=DateInput())


class TransitionForm(forms.Form):
    state = forms.ChoiceField(label=_("Ny status"), choices=PriceList.State.choices)
    decision = forms.ModelChoiceField(
        label=_("Beslut"), queryset=Decision.objects.none(), required=False
    )
    deadline = forms.DateField(
        label=_("Ny sista dag för inlämning"), required=False, widget=DateInput()
    )

    def __init__(self, *args, healthcare_region=None, price_list=None, **kwargs):
        super().__init__(*args, **kwargs)
        if healthcare_region is not None:
            # Only decisions that decide nothing else yet (or this list) can fix the list.
            free = Q(subject_id__isnull=True)
            if price_list is not None:
                free |= Q(
                    subject_type=ContentType.objects.get_for_model(PriceList),
                    subject_id=price_list.pk,
                )
            self.fields["decision"].queryset = (
                Decision.objects.filter(free, meeting__body__healthcare_region=healthcare_region)
                .select_related("meeting")
                .order_by("-meeting__date", "-paragraph")
            )


class UprateForm(forms.Form):
    percent = forms.DecimalField(
        label=_("Uppräkning i procent"),
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("-50"),
        max_value=Decimal("50"),
        help_text=_("Till exempel SKR:s prognos för LPIK. Decimaler med komma."),
        localize=True,
    )
    rounding = forms.ChoiceField(
        label=_("Avrundning"), choices=Rounding.CHOICES, initial=Rounding.WHOLE_KRONOR
    )
    deadline = forms.DateField(
        label=_("Sista dag för regionernas rättelser"), required=False, widget=DateInput()
    )


class ApiTokenForm(forms.Form):
    VALID_DAYS_CHOICES = [
        (30, _("30 dagar")),
        (90, _("90 dagar")),
        (180, _("180 dagar")),
        (365, _("1 år")),
    ]

    name = forms.CharField(
        label=_("Namn på nyckeln"),
        max_length=100,
        help_text=_("Till exempel systemet som ska använda den."),
    )
    valid_days = forms.TypedChoiceField(
        label=_("Giltig i"),
        choices=VALID_DAYS_CHOICES,
        coerce=int,
        initial=ApiToken.DEFAULT_VALID_DAYS,
        help_text=_(
            "Nyckeln slutar fungera när tiden har gått ut, eller tidigare om ingen i "
            "regionen längre har rollen priskontakt."
        ),
    )
