"""An invoice or credit note as a PDF (WeasyPrint), in the client's language and time zone.

Built from our template only, and the fetcher refuses every URL. The document carries money and
product words ("Counselling session"), never anything about the care itself (PAY-1).
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from confide.billing.models import Invoice
from confide.billing.prices import format_amount
from confide.billing.taxes import note as tax_note
from confide.core import times
from confide.core.pdf import html_to_pdf

#: What a line says: the product bought, never why.
PRODUCT_LABELS: dict[str, Any] = {
    "session": _("Counselling session"),
    "package_5": _("Package of 5 sessions"),
}


def _money(minor: int, invoice: Invoice, language: str) -> str:
    return format_amount(minor, invoice.currency, language)


def context_for(invoice: Invoice, language: str) -> dict[str, Any]:
    """Everything the PDF and the e-mail show, formatted for ``language`` in the active zone."""
    with translation.override(language):
        lines = [
            {
                "label": str(PRODUCT_LABELS.get(line.product, _("Counselling service"))),
                "quantity": line.quantity,
                "unit": _money(line.unit_minor, invoice, language),
                "amount": _money(line.amount_minor, invoice, language),
                "tax": _money(line.tax_minor, invoice, language) if line.tax_rate_bp else "",
            }
            for line in invoice.lines.all()
        ]
        credited = invoice.credits if invoice.kind == Invoice.Kind.CREDIT_NOTE else None
        return {
            "invoice": invoice,
            "is_credit_note": credited is not None,
            "credited_code": credited.code if credited else "",
            "lines": lines,
            "total": _money(invoice.total_minor, invoice, language),
            "tax_note": tax_note(invoice.tax_rule, invoice.jurisdiction),
            "issued": times.when(invoice.issued_at, "date"),
            "zone": times.zone_name(times.current_zone()),
            "language": language,
        }


def render_html(invoice: Invoice, language: str) -> str:
    with translation.override(language):
        return render_to_string("billing/invoice_pdf.html", context_for(invoice, language))


def render_pdf(invoice: Invoice, language: str) -> bytes:
    return html_to_pdf(render_html(invoice, language))


def file_name(invoice: Invoice) -> str:
    """The number only: no name in a download folder or an attachment list."""
    return f"{invoice.code}.pdf"
