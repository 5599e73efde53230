"""Sending e-mail from a worker, so a slow or absent mail server never holds a page."""

from celery import shared_task
from django.core.mail import EmailMessage


@shared_task(autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600, max_retries=8)
def send_email(
    *, subject: str, body: str, to: list[str], reply_to: list[str] | None = None
) -> None:
    """Send one e-mail through the configured backend; retried while the mail server is away."""
    EmailMessage(subject=subject, body=body, to=to, reply_to=reply_to or None).send()
