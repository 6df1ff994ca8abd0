"""What the billing pages show, read through the services (the views only render)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from confide.billing import services
from confide.billing.document import PRODUCT_LABELS
from confide.billing.invoices import invoices_of
from confide.billing.models import Transaction
from confide.billing.prices import format_amount
from confide.billing.processors import OfflineProcessor
from confide.core import times

_TRIAL_WORDS = {
    "none": "You have not started a free trial.",
    "active": "Your free trial is running.",
    "trial_cancelled": "You cancelled your free trial.",
    "trial_ended": "Your free trial has ended.",
    "trial_converted": "You continued after your free trial with a paid package.",
}


def _row(tx: Transaction, language: str) -> dict[str, Any]:
    return {
        "tx": tx,
        "label": str(PRODUCT_LABELS.get(tx.product, tx.product)),
        "amount": format_amount(tx.amount_minor, tx.currency, language),
        "when": times.when(tx.at, "short"),
        "reference": OfflineProcessor().reference(tx),
    }


def client_page(client: Any, language: str) -> dict[str, Any]:
    """Trial state, open dues with their transfer reference, payments and invoices."""
    invoices = invoices_of(client, client.pk)  # the access policy: the owner only
    rows = Transaction.objects.filter(client=client, kind__in=["payment_due", "payment_received"])
    rows = rows.select_related("settled_by")
    dues, paid = [], []
    for tx in rows:
        if tx.kind == "payment_received":
            paid.append(_row(tx, language))
        elif not hasattr(tx, "settled_by"):
            dues.append(_row(tx, language))
    return {
        "card": bool(settings.STRIPE_SECRET_KEY),  # pay on Stripe's page (PAY-2)
        "trial": _(_TRIAL_WORDS[services.trial_state(client)]),
        "dues": dues,
        "paid": paid,
        "invoices": [
            {
                "invoice": invoice,
                "total": format_amount(invoice.total_minor, invoice.currency, language),
                "when": times.when(invoice.issued_at, "date"),
            }
            for invoice in invoices
        ],
    }


def staff_page(language: str) -> dict[str, Any]:
    """Open amounts by reference and client number: enough to match a bank statement, no name."""
    open_dues = Transaction.objects.filter(kind="payment_due", settled_by__isnull=True)
    rows = []
    for tx in open_dues.select_related("client"):
        row = _row(tx, language)
        row["client_number"] = tx.client.client_number
        rows.append(row)
    return {"dues": rows}


# Extracted for translation (the dictionary above holds the English source).
_("You have not started a free trial.")
_("Your free trial is running.")
_("You cancelled your free trial.")
_("Your free trial has ended.")
_("You continued after your free trial with a paid package.")
