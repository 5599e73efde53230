"""Writes of price lists: opening collection, submissions, state changes and uprating.

Each function is one transaction with the acting user recorded as history context
(every price line inserted, changed or removed is recorded: by django-pghistory's row
triggers, or for a submission's lines by the statements that write them, set-wise,
in pricing.lines). The lines' list and region are checked once per statement, not per
row (PriceItem's triggers); bench/price_import.py measures the whole write.
"""

import datetime
import hashlib
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.editing import history_context
from pricing import imports
from pricing.imports import UploadRejected
from pricing.lines import PriceLine, copy_text, lines_of_copy_text, replace_lines
from pricing.models import (
    PRICE_CEILING,
    ApiToken,
    PriceList,
    PriceSubmission,
)
from regions.models import AuditEvent, Decision, HealthcareRegion, Region, User
from regions.selectors import region_price_contacts
from regions.services import audit_record

State = PriceList.State

# Which state may follow which; the kansli may also step back to reopen collection.
TRANSITIONS = {
    State.COLLECTING: (State.CLOSED,),
    State.CLOSED: (State.COLLECTING, State.COMPILED),
    State.COMPILED: (State.CLOSED, State.DECIDED),
    State.DECIDED: (State.PUBLISHED,),
    State.PUBLISHED: (),
}


def _region_in(price_list: PriceList, region: Region) -> None:
    if region.healthcare_region_id != price_list.healthcare_region_id:
        raise ValidationError(
            _("%(region)s ingår inte i %(hr)s.")
            % {"region": region.name, "hr": price_list.healthcare_region.name}
        )


def price_list_create(
    *,
    actor: User | None,
    healthcare_region: HealthcareRegion,
    year: int,
    deadline: datetime.date | None = None,
    note: str = "",
    is_demo: bool = False,
) -> PriceList:
    """Open collection of next year's prices for the sjukvårdsregion."""
    with transaction.atomic(), history_context(actor):
        if PriceList.objects.filter(healthcare_region=healthcare_region, year=year).exists():
            raise ValidationError(
                {"year": _("Det finns redan en prislista för %(year)s.") % {"year": year}}
            )
        price_list = PriceList(
            healthcare_region=healthcare_region,
            year=year,
            deadline=deadline,
            note=note,
            is_demo=is_demo,
        )
        price_list.full_clean()
        price_list.save()
        return price_list


def price_list_transition(
    *,
    actor: User | None,
    price_list: PriceList,
    state: str,
    decision: Decision | None = None,
    deadline: datetime.date | None = None,
    render_now: bool = False,
) -> PriceList:
    """Move the list to its next state; deciding needs the nämnd's decision (§).

    Compiling queues the PDF, XLSX and CSV (`price_list_compile`); deciding makes them
    again as the decided versions, kept unchanged with their checksums.
    """
    with transaction.atomic(), history_context(actor):
        current = PriceList.objects.select_for_update().get(pk=price_list.pk)
        if state not in TRANSITIONS[current.state]:
            raise ValidationError(
                _("En prislista med status %(from)s kan inte bli %(to)s.")
                % {"from": current.get_state_display(), "to": State(state).label}
            )
        if state == State.DECIDED:
            if decision is None:
                raise ValidationError({"decision": _("Ange beslutet som fastställer listan.")})
            if decision.meeting.body.healthcare_region_id != current.healthcare_region_id:
                raise ValidationError(
                    {"decision": _("Beslutet hör till en annan sjukvårdsregion.")}
                )
            if decision.subject_id is not None and decision.subject != current:
                raise ValidationError(
                    {
                        "decision": _(
                            "Beslutet § %(paragraph)s %(title)s gäller redan %(subject)s och "
                            "kan inte också fastställa prislistan."
                        )
                        % {
                            "paragraph": decision.paragraph,
                            "title": decision.title,
                            "subject": decision.subject,
                        }
                    }
                )
            current.decision = decision
            if decision.subject_id is None:
                from regions import services as region_services

                region_services.decision_update(
                    actor=actor, decision=decision, fields={"subject": current}
                )
        if state == State.COLLECTING and deadline is not None:
            current.deadline = deadline
        current.state = state
        current.full_clean()
        current.save()
        if state in (State.COMPILED, State.DECIDED):
            price_list_compile(
                actor=actor,
                price_list=current,
                snapshot=state == State.DECIDED,
                render_now=render_now,
            )
        return current


def price_list_compile(
    *, actor: User | None, price_list: PriceList, snapshot: bool = False, render_now: bool = False
) -> list:
    """Queue the compiled list: a tagged PDF (rendered in parts on every free worker)
    and the XLSX and CSV. Queued after the commit; `render_now` renders here instead
    (demo data)."""
    from documents import jobs as document_jobs
    from pricing.documents import KINDS

    if price_list.state not in (State.CLOSED, State.COMPILED, State.DECIDED):
        raise ValidationError(_("Prislistan kan sammanställas först när insamlingen är stängd."))
    if price_list.state == State.DECIDED and not snapshot:
        raise ValidationError(
            _("En beslutad prislista sammanställs inte igen: den beslutade versionen gäller.")
        )
    make = document_jobs.document_render_now if render_now else document_jobs.document_request
    return [make(actor=actor, subject=price_list, kind=kind, snapshot=snapshot) for kind in KINDS]


# Submissions ----------------------------------------------------------------------


def _require_open(price_list: PriceList) -> None:
    if not price_list.is_collecting:
        raise ValidationError(
            _("Insamlingen till prislistan för %(year)s är inte öppen.") % {"year": price_list.year}
        )


def price_submission_stage(
    *, actor: User, price_list: PriceList, region: Region, filename: str, data: bytes
) -> tuple[PriceSubmission, list[PriceLine]]:
    """Check an uploaded file and keep it as a pending submission for the preview.

    Raises UploadRejected with every error (nothing is stored) or returns the pending
    submission and its lines. The file is kept with its SHA-256 so the confirmed lines
    are exactly the ones previewed.
    """
    _region_in(price_list, region)
    _require_open(price_list)
    lines, _kind = imports.read_price_file(filename, data, region)
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic(), history_context(actor):
        submission = PriceSubmission(
            price_list=price_list,
            region=region,
            submitted_by=actor,
            source=PriceSubmission.Source.UPLOAD,
            filename=filename[:255],
            sha256=digest,
            line_count=len(lines),
        )
        submission.file.save(filename[-100:], ContentFile(data), save=False)
        submission.save()
    text = copy_text(lines)
    if text is None:
        cache.delete(_pending_lines_key(submission))
    else:
        cache.set(_pending_lines_key(submission), text, _PENDING_LINES_SECONDS)
    return submission, lines


# A pending submission's checked lines are kept in the cache, as the COPY text that
# will write them, from the upload to the preview and the confirmation: the file is then
# read and checked once rather than three times.
# The stored file stays the record; without the cache entry it is read and checked again.
_PENDING_LINES_SECONDS = 60 * 60


def _pending_lines_key(submission: PriceSubmission) -> str:
    return f"pricing:pending-lines:{submission.pk}:{submission.sha256}"


def submission_lines(submission: PriceSubmission) -> list[PriceLine]:
    """The lines of a stored submission, as checked at its upload."""
    text = cache.get(_pending_lines_key(submission))
    return _stored_file_lines(submission) if text is None else lines_of_copy_text(text)


def _pending_rows(submission: PriceSubmission) -> list[PriceLine] | str:
    """What the confirmation writes: the cached COPY text as it is (no need to split it
    into lines only to join them again), or the lines read and checked again from the
    stored file."""
    text = cache.get(_pending_lines_key(submission))
    return _stored_file_lines(submission) if text is None else text


def _stored_file_lines(submission: PriceSubmission) -> list[PriceLine]:
    """The submission's kept file, read and checked again (its cached lines are gone)."""
    with submission.file.open("rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != submission.sha256:
        raise ValidationError(_("Den sparade filen har ändrats sedan den laddades upp."))
    lines, _kind = imports.read_price_file(submission.filename, data, submission.region)
    return lines


def pending_submissions_remove(*, now: datetime.datetime | None = None) -> int:
    """Delete the submissions uploaded for a preview and never confirmed within
    PENDING_SUBMISSION_HOURS, with their stored files; returns how many. One at a time
    under its row lock, so a confirmation under way wins (skip_locked)."""
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=settings.PENDING_SUBMISSION_HOURS)
    removed = 0
    candidates = PriceSubmission.objects.filter(
        status=PriceSubmission.Status.PENDING, created_at__lt=cutoff
    ).values_list("pk", flat=True)
    for pk in list(candidates):
        with transaction.atomic(), history_context(None):
            submission = (
                PriceSubmission.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=PriceSubmission.Status.PENDING, created_at__lt=cutoff)
                .first()
            )
            if submission is None:
                continue
            name = submission.file.name
            key = _pending_lines_key(submission)
            submission.delete()
            shared = bool(name) and PriceSubmission.objects.filter(file=name).exists()
            if name and not shared:
                # Only once the row is gone for good: a rollback keeps row and file.
                transaction.on_commit(lambda name=name: default_storage.delete(name))
            transaction.on_commit(lambda key=key: cache.delete(key))
            removed += 1
    return removed


def price_submission_confirm(*, actor: User, submission: PriceSubmission) -> PriceSubmission:
    """Make a pending submission the region's current one, replacing its lines at once."""
    lines = _pending_rows(submission)
    with transaction.atomic(), history_context(actor):
        price_list = PriceList.objects.select_for_update().get(pk=submission.price_list_id)
        _require_open(price_list)
        current = PriceSubmission.objects.select_for_update().get(pk=submission.pk)
        if current.status != PriceSubmission.Status.PENDING:
            raise ValidationError(_("Inlämningen är redan bekräftad eller ersatt."))
        newer = PriceSubmission.objects.filter(
            price_list=price_list,
            region_id=current.region_id,
            status=PriceSubmission.Status.CURRENT,
            confirmed_at__gt=current.created_at,
        ).exists()
        if newer:
            raise ValidationError(
                _(
                    "En nyare inlämning har bekräftats efter att den här "
                    "laddades upp. Ladda upp filen igen för att se skillnaderna."
                )
            )
        key = _pending_lines_key(current)
        transaction.on_commit(lambda: cache.delete(key))
        return _make_current(current, price_list, lines)


def _make_current(
    submission: PriceSubmission, price_list: PriceList, lines: list[PriceLine] | str
) -> PriceSubmission:
    PriceSubmission.objects.filter(
        price_list=price_list,
        region_id=submission.region_id,
        status=PriceSubmission.Status.CURRENT,
    ).update(status=PriceSubmission.Status.REPLACED)
    replace_lines(price_list.pk, submission.region_id, lines)
    submission.status = PriceSubmission.Status.CURRENT
    submission.confirmed_at = timezone.now()
    submission.line_count = lines.count("\n") if isinstance(lines, str) else len(lines)
    submission.save(update_fields=["status", "confirmed_at", "line_count"])
    return submission


def price_lines_submit(
    *,
    actor: User | None,
    price_list: PriceList,
    region: Region,
    lines: list[PriceLine],
    source: str = PriceSubmission.Source.API,
    filename: str = "",
    data: bytes = b"",
    allow_closed: bool = False,
    api_token: ApiToken | None = None,
) -> PriceSubmission:
    """Submit checked lines in one step (the API, demo data): stored, confirmed, current;
    credited to the API key it came through, if any."""
    _region_in(price_list, region)
    with transaction.atomic(), history_context(actor):
        locked = PriceList.objects.select_for_update().get(pk=price_list.pk)
        if not allow_closed:
            _require_open(locked)
        submission = PriceSubmission(
            price_list=locked,
            region=region,
            submitted_by=actor,
            source=source,
            api_token=api_token,
            filename=filename[:255],
            sha256=hashlib.sha256(data).hexdigest() if data else "",
            line_count=len(lines),
        )
        if data:
            submission.file.save(
                (filename or "inlamning.json")[-100:], ContentFile(data), save=False
            )
        submission.save()
        return _make_current(submission, locked, lines)


# Uprating -------------------------------------------------------------------------


class Rounding:
    WHOLE_KRONOR = "krona"
    TEN_KRONOR = "tiotal"
    ORE = "ore"
    CHOICES = [
        (WHOLE_KRONOR, _("Hela kronor")),
        (TEN_KRONOR, _("Jämna tiotal kronor")),
        (ORE, _("Ören (två decimaler)")),
    ]


def uprate(price: Decimal, percent: Decimal, rounding: str) -> Decimal:
    """The price raised by `percent`, rounded half up as the rule says (74 750 +3 % → 76 993)."""
    raised = price * (1 + percent / Decimal(100))
    if rounding == Rounding.WHOLE_KRONOR:
        return raised.quantize(Decimal("1"), rounding=ROUND_HALF_UP).quantize(Decimal("0.01"))
    if rounding == Rounding.TEN_KRONOR:
        return ((raised / 10).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * 10).quantize(
            Decimal("0.01")
        )
    return raised.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def price_list_uprate(
    *,
    actor: User | None,
    source: PriceList,
    percent: Decimal,
    rounding: str = Rounding.WHOLE_KRONOR,
    deadline: datetime.date | None = None,
) -> PriceList:
    """Start next year's list from a decided one, every price raised by `percent`.

    The new list opens for collection with each region's uprated lines as its current
    submission; the regions correct them by uploading as usual.
    """
    if not source.is_public:
        raise ValidationError(_("Bara en beslutad prislista kan räknas upp."))
    percent = Decimal(str(percent))
    if not percent.is_finite() or not Decimal("-50") <= percent <= Decimal("50"):
        raise ValidationError({"percent": _("Uppräkningen ska vara mellan −50 och 50 procent.")})
    with transaction.atomic(), history_context(actor):
        target = price_list_create(
            actor=actor,
            healthcare_region=source.healthcare_region,
            year=source.year + 1,
            deadline=deadline,
            is_demo=source.is_demo,
            note=_("Uppräknad från %(year)s med %(pct)s %%.")
            % {"year": source.year, "pct": str(percent).replace(".", ",")},
        )
        target.uprated_from = source
        target.uprating_percent = percent
        target.save(update_fields=["uprated_from", "uprating_percent"])
        by_region: dict[int, list[PriceLine]] = {}
        for item in source.items.order_by("region_id", "hospital", "code").iterator():
            new_price = uprate(item.price, percent, rounding)
            if new_price >= PRICE_CEILING:
                raise ValidationError(
                    _("Priset för %(code)s blir orimligt högt.") % {"code": item.code}
                )
            by_region.setdefault(item.region_id, []).append(
                PriceLine(
                    item.hospital,
                    item.clinic,
                    item.category,
                    item.code,
                    item.description,
                    item.unit,
                    str(new_price),
                    item.note,
                )
            )
        regions = Region.objects.in_bulk(list(by_region))
        for region_id, lines in by_region.items():
            price_lines_submit(
                actor=actor,
                price_list=target,
                region=regions[region_id],
                lines=lines,
                source=PriceSubmission.Source.UPRATING,
            )
        return target


# API tokens -----------------------------------------------------------------------


def _hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(
    *, actor: User | None, region: Region, name: str, valid_days: int = ApiToken.DEFAULT_VALID_DAYS
) -> tuple[ApiToken, str]:
    """A new token for the region's system, valid for `valid_days` (at most a year); the
    key is returned once and only its hash kept."""
    if not 1 <= valid_days <= ApiToken.MAX_VALID_DAYS:
        raise ValidationError(
            _("En API-nyckel kan gälla i högst %(days)s dagar.") % {"days": ApiToken.MAX_VALID_DAYS}
        )
    key = ApiToken.new_key()
    with transaction.atomic():
        token = ApiToken.objects.create(
            region=region,
            name=name,
            key_prefix=key[4:12],
            key_hash=_hash_key(key),
            created_by=actor,
            expires_at=timezone.now() + datetime.timedelta(days=valid_days),
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.API_KEY_CREATED,
            subject_label=str(token),
            scope=region,
            key_prefix=token.key_prefix,
            expires_at=token.expires_at.isoformat(),
        )
    return token, key


class ApiTokenRefused(PermissionDenied):
    """A key that does not open the API, with the Swedish reason to answer."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def api_token_authenticate(key: str) -> ApiToken:
    """The live token for a key, or ApiTokenRefused saying why not: unknown or revoked,
    expired, or no longer valid because nobody active in its region holds the
    price-contact role any more (the role revoked, the user deactivated, in the portal,
    with `manage.py role` or in Django admin alike)."""
    token = (
        ApiToken.objects.select_related("region")
        .filter(key_hash=_hash_key(key), revoked_at__isnull=True)
        .annotate(region_has_price_contact=Exists(region_price_contacts(OuterRef("region_id"))))
        .first()
    )
    if token is None:
        raise ApiTokenRefused(_("API-nyckeln är okänd eller återkallad."))
    if token.is_expired():
        raise ApiTokenRefused(
            _(
                "API-nyckeln har gått ut (den gällde till %(date)s). Skapa en ny nyckel under "
                "API-nycklar i portalen."
            )
            % {"date": formats.date_format(timezone.localtime(token.expires_at), "Y-m-d")}
        )
    if not token.region_has_price_contact:
        raise ApiTokenRefused(
            _(
                "API-nyckeln gäller inte längre: ingen i %(region)s har rollen priskontakt. "
                "En ny priskontakt kan skapa en ny nyckel."
            )
            % {"region": token.region.name}
        )
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


def api_token_revoke(*, actor: User | None, token: ApiToken) -> bool:
    """Revoke the key (recorded with who did it); False if it was revoked already."""
    with transaction.atomic():
        revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if revoked:
            audit_record(
                actor=actor,
                action=AuditEvent.Action.API_KEY_REVOKED,
                subject_label=str(token),
                scope=token.region,
                key_prefix=token.key_prefix,
            )
    return bool(revoked)


__all__ = ["UploadRejected"]
