"""Billing e-mails (PAY-4): the invoice issued, with its PDF, in the client's language."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from confide.billing.models import Invoice
from confide.core import times
from confide.core.mail import send_templated


def send_invoice(invoice_id: int) -> None:
    """E-mail the invoice (or credit note) to its client: amounts and numbers only, never a word
    about care; the PDF is attached. Skipped when the account has no address any more."""
    from confide.billing import document

    invoice = Invoice.objects.select_related("client").prefetch_related("lines").get(pk=invoice_id)
    client = invoice.client
    if not client.email or not client.is_active:
        return
    language = times.user_language(client)
    with times.for_person(client, language) as tz:
        context = document.context_for(invoice, language)
        context["link"] = settings.SITE_URL + reverse("billing:home")
        pdf = document.render_pdf(invoice, language)
    send_templated(
        "billing/email/invoice",
        client.email,
        context,
        language=language,
        zone=tz,
        attachments=[(document.file_name(invoice), pdf, "application/pdf")],
    )
