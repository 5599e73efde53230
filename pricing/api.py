"""The HTTP API for a region's own systems: submit price lines as JSON with a token.

Same checks, messages and atomicity as an upload (`imports.check_json_lines`, then
`services.price_lines_submit` in one transaction), without the preview step: a
request with ?dry_run=1 is checked and answered with the differences but not saved.
The contract is `openapi.json` beside this module, served at pricing:api_schema.
"""

import json
from pathlib import Path

from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from pricing import imports, selectors, services
from pricing.models import PriceList, PriceSubmission
from regions.models import HealthcareRegion

SCHEMA_PATH = Path(__file__).with_name("openapi.json")


def schema(request, hr):
    return HttpResponse(SCHEMA_PATH.read_bytes(), content_type="application/json")


def _error(status: int, message: str, **extra) -> JsonResponse:
    return JsonResponse(
        {"errors": [{"row": None, "column": "", "value": "", "message": message}], **extra},
        status=status,
    )


def _errors(errors: list[imports.RowError]) -> JsonResponse:
    return JsonResponse(
        {
            "errors": [
                {"row": e.row, "column": e.column, "value": e.value, "message": e.message}
                for e in errors
            ]
        },
        status=400,
    )


@csrf_exempt
@require_POST
def submit(request, hr, year, scb):
    """Replace the region's lines in the year's list with the request's lines."""
    auth = request.headers.get("Authorization", "")
    if not auth.startswith("Bearer "):
        return _error(401, "Ange API-nyckeln i rubriken Authorization: Bearer <nyckel>.")
    try:
        token = services.api_token_authenticate(auth.removeprefix("Bearer ").strip())
    except services.ApiTokenRefused as refused:
        return _error(401, refused.message)
    region = token.region
    if region.scb_code != scb or region.healthcare_region.slug != hr:
        return _error(403, "API-nyckeln gäller inte den här regionen.")
    try:
        price_list = PriceList.objects.select_related("healthcare_region").get(
            healthcare_region__slug=hr, year=year
        )
    except (PriceList.DoesNotExist, HealthcareRegion.DoesNotExist):
        return _error(404, "Det finns ingen prislista för året.")
    if not price_list.is_collecting:
        return _error(409, "Insamlingen till prislistan är inte öppen.")
    try:
        body = request.body
    except RequestDataTooBig:
        return _error(413, "Begäran är för stor.")
    if request.content_type != "application/json":
        return _error(415, "Skicka JSON (Content-Type: application/json).")
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return _error(400, "Begäran är inte giltig JSON.")
    except RecursionError:
        # The decoder recurses per level of nesting; prisrader are two levels deep.
        return _error(
            400,
            'Begäran är för djupt nästlad: skicka {"lines": [ ... ]} med en prisrad per objekt.',
        )
    try:
        lines = imports.check_json_lines(payload, region)
    except imports.UploadRejected as rejected:
        return _errors(rejected.errors)
    if request.GET.get("dry_run") in ("1", "true"):
        diffs = selectors.submission_diffs(price_list, region, lines)
        return JsonResponse(
            {
                "lines": len(lines),
                "saved": False,
                "differences": [
                    {
                        "against": d.label,
                        "added": len(d.added),
                        "removed": len(d.removed),
                        "changed": len(d.changed),
                        "flagged": len(d.flagged),
                    }
                    for d in diffs
                    if d
                ],
            }
        )
    try:
        submission = services.price_lines_submit(
            actor=token.created_by,
            price_list=price_list,
            region=region,
            lines=lines,
            source=PriceSubmission.Source.API,
            filename=f"api-{token.key_prefix}.json",
            data=body,
            api_token=token,
        )
    except ValidationError as error:
        return _error(409, " ".join(error.messages))
    return JsonResponse(
        {"submission": submission.pk, "lines": submission.line_count, "saved": True}, status=201
    )
