"""Background jobs of the prislistor: the reminder before the submission deadline, and
the removal of previews never confirmed."""

import datetime

from celery import shared_task
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from core.mail import send_email
from pricing import selectors, services
from pricing.models import PriceList

REMIND_DAYS_BEFORE = (7, 1)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def price_collection_reminders(today: str | None = None) -> int:
    """E-mail the price contacts of regions that have not submitted, 7 days and 1 day
    before the deadline of every list with collection open. Run daily by celery beat.

    Sends at most once per list, region and day (a key in the cache), so a retried or
    doubled beat tick does not send twice. Returns the number of e-mails sent.
    """
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    deadlines = [day + datetime.timedelta(days=n) for n in REMIND_DAYS_BEFORE]
    sent = 0
    for price_list in PriceList.objects.filter(
        state=PriceList.State.COLLECTING,
        deadline__in=deadlines,
    ).select_related("healthcare_region"):
        for region, contacts in selectors.contacts_without_submission(price_list).items():
            key = f"pricing:reminder:{price_list.pk}:{region.pk}:{day.isoformat()}"
            if not cache.add(key, 1, timeout=3 * 24 * 3600):
                continue
            path = reverse(
                "pricing:upload",
                kwargs={
                    "hr": price_list.healthcare_region.slug,
                    "year": price_list.year,
                    "scb": region.scb_code,
                },
            )
            send_email(
                subject=f"Påminnelse: prisuppgifter till prislistan {price_list.year} senast "
                f"{price_list.deadline:%Y-%m-%d}",
                body=(
                    f"Hej!\n\n{region.name} har ännu inte lämnat in sina prisuppgifter till "
                    f"{price_list.healthcare_region.name}s prislista för {price_list.year}. "
                    f"Sista dag är {price_list.deadline:%Y-%m-%d}.\n\n"
                    f"Ladda upp filen i Samverkansportalen: {path}\n\n"
                    "Det här meddelandet skickas automatiskt till regionens priskontakter."
                ),
                to=sorted(user.email for user in contacts),
            )
            sent += 1
    return sent


@shared_task
def pending_submissions_remove() -> int:
    """Delete the price files uploaded for a preview and never confirmed (beat, hourly)."""
    return services.pending_submissions_remove()
