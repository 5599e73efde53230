"""Pages of the prislistor: lists, a region's lines, upload with preview, exports, comparison.

Views are thin: they fetch through the access helpers in `selectors` (404 for what
the user may not read, 403 for what they may read but not change) and write through
`services`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import charts
from core.editing import form_data, save_form
from core.formatting import kronor
from core.uploads import refuse_too_large
from documents import registry as document_registry
from documents import selectors as document_selectors
from documents.views import status_context
from pricing import documents, imports, selectors, services, spreadsheets
from pricing.forms import (
    ApiTokenForm,
    PriceListCreateForm,
    PriceUploadForm,
    TransitionForm,
    UprateForm,
)
from pricing.models import ApiToken, Category, PriceList, PriceSubmission
from regions.selectors import healthcare_region_for_request

PAGE_SIZE = 200
# Wider margins than the default: an axis of "1 250 000 kr" and legends of hospital names.
PRICE_CHART = charts.Layout(width=760, height=360, left=80, right=230)


def section(request, hr):
    """The sjukvårdsregion's prislistor: every list the user may read, newest first."""
    healthcare_region = healthcare_region_for_request(request, hr)
    return render(
        request,
        "pricing/section.html",
        {
            "healthcare_region": healthcare_region,
            "price_lists": selectors.price_list_overview(request.user, healthcare_region),
            "can_manage": selectors.can_manage(request.user, healthcare_region),
            "my_regions": selectors.submit_regions(request.user, healthcare_region),
        },
    )


@login_required
def price_list_create(request, hr):
    healthcare_region = healthcare_region_for_request(request, hr)
    if not selectors.can_manage(request.user, healthcare_region):
        raise PermissionDenied
    form = PriceListCreateForm(form_data(request))
    if request.method == "POST":
        price_list = save_form(
            form,
            lambda data: services.price_list_create(
                actor=request.user,
                healthcare_region=healthcare_region,
                year=data["year"],
                deadline=data["deadline"],
            ),
        )
        if price_list:
            messages.success(
                request,
                _("Insamlingen till prislistan för %(year)s är öppen.") % {"year": price_list.year},
            )
            return redirect(price_list)
    return render(
        request,
        "core/form_page.html",
        {
            "healthcare_region": healthcare_region,
            "form": form,
            "title": _("Öppna insamling till en ny prislista"),
            "submit_label": _("Öppna insamlingen"),
            "back_url": reverse("pricing:section", kwargs={"hr": hr}),
        },
    )


def price_list_detail(request, hr, year):
    healthcare_region = healthcare_region_for_request(request, hr)
    price_list = selectors.price_list_for_user(request.user, healthcare_region, year)
    readable = selectors.readable_regions(request.user, price_list)
    category = request.GET.get("kategori", "")
    if category not in Category.values:
        category = ""
    region_code = request.GET.get("region", "")
    region = next((r for r in readable if r.scb_code == region_code), None)
    items = selectors.items_for_user(request.user, price_list, region=region, category=category)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("sida"))
    can_manage = selectors.can_manage(request.user, healthcare_region)
    my_regions = {r.pk for r in selectors.submit_regions(request.user, healthcare_region)}
    return render(
        request,
        "pricing/price_list_detail.html",
        {
            "healthcare_region": healthcare_region,
            "price_list": price_list,
            "statuses": selectors.region_statuses(request.user, price_list)
            if selectors.reads_unpublished(request.user, healthcare_region)
            else [],
            "readable_ids": {r.pk for r in readable},
            "my_region_ids": my_regions,
            "page": page,
            "regions": readable,
            "region": region,
            "category": category,
            "categories": Category.choices,
            "can_manage": can_manage,
            "transition_form": TransitionForm(
                healthcare_region=healthcare_region, price_list=price_list
            )
            if can_manage
            else None,
            "next_states": services.TRANSITIONS[price_list.state],
            "documents": _documents(request, price_list),
            "can_compile": can_manage
            and price_list.state in (PriceList.State.CLOSED, PriceList.State.COMPILED),
        },
    )


def _documents(request, price_list: PriceList) -> list[dict]:
    """The compiled files the user may read: each kind's latest job and stored versions."""
    try:
        documents.access(request.user, price_list)
    except Http404:
        return []
    shown = []
    for kind in documents.KINDS:
        latest, versions = document_selectors.document_overview(price_list, kind)
        if latest is not None:
            shown.append(
                {
                    "status": status_context(request, latest),
                    "versions": versions,
                    "label": document_registry.label_of(kind),
                    "kind": kind,
                }
            )
    return shown


def region_lines(request, hr, year, scb):
    """One region's lines in a list, and (for those who may) its submissions."""
    healthcare_region = healthcare_region_for_request(request, hr)
    price_list = selectors.price_list_for_user(request.user, healthcare_region, year)
    region = selectors.region_for_user(request.user, price_list, scb)
    items = selectors.items_for_user(request.user, price_list, region=region)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("sida"))
    sees_drafts = selectors.reads_region_draft(request.user, healthcare_region, region)
    return render(
        request,
        "pricing/region_lines.html",
        {
            "healthcare_region": healthcare_region,
            "price_list": price_list,
            "region": region,
            "page": page,
            "submissions": selectors.submissions_of(price_list, region) if sees_drafts else [],
            "can_submit": price_list.is_collecting
            and region in selectors.submit_regions(request.user, healthcare_region),
        },
    )


@login_required
def upload(request, hr, year, scb):
    """Upload a CSV or XLSX: every row is checked; a clean file goes on to the preview."""
    healthcare_region = healthcare_region_for_request(request, hr)
    price_list = selectors.price_list_for_user(request.user, healthcare_region, year)
    region = selectors.region_for_user(request.user, price_list, scb, submit=True)
    form = PriceUploadForm(form_data(request), request.FILES if request.method == "POST" else None)
    refuse_too_large(request, form)
    errors = []
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            if file.size > imports.MAX_BYTES:
                raise imports.UploadRejected(
                    [imports.RowError(None, "", file.name, _("Filen är större än 10 MB."))]
                )
            submission, _lines = services.price_submission_stage(
                actor=request.user,
                price_list=price_list,
                region=region,
                filename=file.name,
                data=file.read(),
            )
        except imports.UploadRejected as rejected:
            errors = rejected.errors
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("pricing:submission", hr=hr, year=year, scb=scb, pk=submission.pk)
    return render(
        request,
        "pricing/upload.html",
        {
            "healthcare_region": healthcare_region,
            "price_list": price_list,
            "region": region,
            "form": form,
            "errors": errors,
        },
    )


@login_required
def submission_detail(request, hr, year, scb, pk):
    """The preview of a submission (differences, flagged changes), and its confirmation."""
    healthcare_region = healthcare_region_for_request(request, hr)
    price_list = selectors.price_list_for_user(request.user, healthcare_region, year)
    region = selectors.region_for_user(request.user, price_list, scb)
    submission = selectors.submission_for_user(
        request.user, price_list, region, pk, confirm=request.method == "POST"
    )
    is_pending = submission.status == PriceSubmission.Status.PENDING
    error = ""
    if request.method == "POST":
        if not price_list.is_collecting:
            error = _("Insamlingen är inte öppen.")
        else:
            try:
                services.price_submission_confirm(actor=request.user, submission=submission)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(
                    request,
                    _("%(n)s prisrader för %(region)s är inlämnade.")
                    % {"n": submission.line_count, "region": region.name},
                )
                return redirect("pricing:region_lines", hr=hr, year=year, scb=scb)
    diffs = []
    if is_pending and submission.file:
        try:
            lines = services.submission_lines(submission)
        except (imports.UploadRejected, ValidationError, OSError):
            error = error or _("Den sparade filen kunde inte läsas. Ladda upp den igen.")
        else:
            diffs = selectors.submission_diffs(price_list, region, lines)
    return render(
        request,
        "pricing/submission.html",
        {
            "healthcare_region": healthcare_region,
            "price_list": price_list,
            "region": region,
            "submission": submission,
            "diffs": diffs,
            "is_pending": is_pending,
            "error": error,
            "can_confirm": is_pending
            and price_list.is_collecting
            and region in selectors.submit_regions(request.user, healthcare_region),
            "flag_percent": selectors.FLAG_PERCENT,
        },
    )


def template(request, hr, fmt="xlsx"):
    healthcare_region_for_request(request, hr)
    if fmt == "ods":
        return _download(spreadsheets.template_ods(), "prisrader-mall.ods", "ods")
    return _download(spreadsheets.template_xlsx(), "prisrader-mall.xlsx", "xlsx")


CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


def _download(data: bytes, filename: str, kind: str) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export(request, hr, year, fmt):
    """The list as XLSX, ODS or CSV, or JSON (open data), with the lines the user may read."""
    healthcare_region = healthcare_region_for_request(request, hr)
    price_list = selectors.price_list_for_user(request.user, healthcare_region, year)
    items = selectors.items_for_user(request.user, price_list).iterator(chunk_size=5000)
    name = f"prislista-{healthcare_region.slug}-{price_list.year}.{fmt}"
    if fmt == "csv":
        return _download(spreadsheets.export_csv(items), name, fmt)
    if fmt == "xlsx":
        return _download(spreadsheets.export_xlsx(price_list, items), name, fmt)
    if fmt == "ods":
        return _download(spreadsheets.export_ods(price_list, items), name, fmt)
    response = _download(spreadsheets.export_json(price_list, items), name, "json")
    if price_list.is_public:
        response["Access-Control-Allow-Origin"] = "*"
    return response


@login_required
@require_POST
def transition(request, hr, year):
    healthcare_region = healthcare_region_for_request(request, hr)
    price_list = selectors.price_list_for_user(request.user, healthcare_region, year, manage=True)
    form = TransitionForm(request.POST, healthcare_region=healthcare_region, price_list=price_list)
    if form.is_valid():
        try:
            services.price_list_transition(
                actor=request.user,
                price_list=price_list,
                state=form.cleaned_data["state"],
                decision=form.cleaned_data["decision"],
                deadline=form.cleaned_data["deadline"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Prislistans status är ändrad."))
    else:
        messages.error(request, _("Välj en giltig status."))
    return redirect(price_list)


@login_required
@require_POST
def compile_documents(request, hr, year):
    """The kansli compiles the list again (PDF, XLSX, CSV), e.g. after a late correction."""
    healthcare_region = healthcare_region_for_request(request, hr)
    price_list = selectors.price_list_for_user(request.user, healthcare_region, year, manage=True)
    try:
        services.price_list_compile(actor=request.user, price_list=price_list)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Prislistan sammanställs. Filerna visas här när de är klara."))
    return redirect(f"{price_list.get_absolute_url()}#dokument")


@login_required
def uprate(request, hr, year):
    """The kansli starts next year's list from this decided one, uprated by a percentage."""
    healthcare_region = healthcare_region_for_request(request, hr)
    price_list = selectors.price_list_for_user(request.user, healthcare_region, year, manage=True)
    form = UprateForm(form_data(request))
    if request.method == "POST":
        new_list = save_form(
            form,
            lambda data: services.price_list_uprate(
                actor=request.user,
                source=price_list,
                percent=data["percent"],
                rounding=data["rounding"],
                deadline=data["deadline"],
            ),
        )
        if new_list:
            messages.success(
                request,
                _("Prislistan för %(year)s är skapad som utkast.") % {"year": new_list.year},
            )
            return redirect(new_list)
    return render(
        request,
        "core/form_page.html",
        {
            "healthcare_region": healthcare_region,
            "form": form,
            "title": _("Räkna upp prislistan %(year)s till %(next)s")
            % {"year": price_list.year, "next": price_list.year + 1},
            "subtitle": _(
                "Alla priser räknas upp och avrundas. Regionerna rättar sedan sina rader."
            ),
            "submit_label": _("Skapa utkast"),
            "back_url": price_list.get_absolute_url(),
        },
    )


def compare(request, hr):
    """One code's price across regions and years, as a table and a chart; and each
    region's change between two years."""
    healthcare_region = healthcare_region_for_request(request, hr)
    code = request.GET.get("kod", "").strip()[:40]
    comparison = selectors.code_comparison(request.user, healthcare_region, code) if code else None
    chart = None
    if comparison and comparison.rows:
        chart = charts.line_chart(
            layout=PRICE_CHART,
            label=kronor,
            series={
                f"{region}, {hospital}": {
                    y: p for y, p in zip(comparison.years, prices, strict=True) if p is not None
                }
                for region, hospital, prices in comparison.rows
            },
        )
    lists = {
        pl.year: pl
        for pl in selectors.price_lists_visible(request.user, healthcare_region).select_related(
            "healthcare_region"
        )
    }
    years = sorted(lists)
    changes, year_from, year_to = [], None, None
    if len(years) >= 2:
        try:
            year_from = int(request.GET.get("fran", years[-2]))
            year_to = int(request.GET.get("till", years[-1]))
        except ValueError:
            year_from, year_to = years[-2], years[-1]
        if year_from in lists and year_to in lists and year_from != year_to:
            changes = selectors.region_changes(request.user, lists[year_from], lists[year_to])
    return render(
        request,
        "pricing/compare.html",
        {
            "healthcare_region": healthcare_region,
            "code": code,
            "comparison": comparison,
            "chart": chart,
            "codes": selectors.codes_of(request.user, healthcare_region),
            "years": years,
            "year_from": year_from,
            "year_to": year_to,
            "changes": changes,
        },
    )


@login_required
def api_tokens(request, hr, scb):
    """A price contact's keys for the region's own systems to submit through the API."""
    healthcare_region = healthcare_region_for_request(request, hr)
    region = next(
        (r for r in selectors.submit_regions(request.user, healthcare_region) if r.scb_code == scb),
        None,
    )
    if region is None:
        raise Http404
    form = ApiTokenForm(form_data(request))
    new_key = None
    if request.method == "POST":
        revoke = request.POST.get("revoke")
        if revoke:
            token = ApiToken.objects.filter(region=region, pk=revoke).first()
            if token:
                services.api_token_revoke(actor=request.user, token=token)
                messages.success(request, _("Nyckeln är återkallad."))
            return redirect("pricing:api_tokens", hr=hr, scb=scb)
        if form.is_valid():
            _token, new_key = services.api_token_create(
                actor=request.user,
                region=region,
                name=form.cleaned_data["name"],
                valid_days=form.cleaned_data["valid_days"],
            )
            form = ApiTokenForm()
    return render(
        request,
        "pricing/api_tokens.html",
        {
            "healthcare_region": healthcare_region,
            "region": region,
            "form": form,
            "new_key": new_key,
            "now": timezone.now(),
            "tokens": list(ApiToken.objects.filter(region=region).order_by("-created_at")),
        },
    )
