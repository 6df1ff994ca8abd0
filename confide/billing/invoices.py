"""Issuing invoices and credit notes (PAY-1).

Numbers are gapless per series and calendar year: the counter row is locked (select for update)
and bumped in the same database transaction that inserts the invoice, so a failed issue rolls
the number back with it and two concurrent issues queue on the lock. The unique constraint
(series, year, number) is the database's own guarantee on top.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from confide.audit import services as audit
from confide.billing.models import AppendOnlyError, Invoice, InvoiceLine, NumberCounter, Transaction
from confide.billing.notify import send_invoice
from confide.billing.taxes import rule_for
from confide.presets import current_preset
from confide.privacy.access import Action, require_client_access

#: Series prefix per document kind: each kind has its own gapless numbers.
SERIES = {Invoice.Kind.INVOICE: "F", Invoice.Kind.CREDIT_NOTE: "R"}


class InvoiceError(Exception):
    """Nothing to invoice (not a payment, already invoiced, already credited)."""


def next_number(series: str, year: int) -> int:
    """The next number of ``series`` in ``year``; call inside the issuing transaction."""
    try:
        with transaction.atomic():
            NumberCounter.objects.get_or_create(series=series, year=year)
    except IntegrityError:  # a concurrent first issue of the year created it: fine
        pass
    counter = NumberCounter.objects.select_for_update().get(series=series, year=year)
    NumberCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return counter.last


def _seller() -> dict[str, str]:
    return {
        "seller_name": settings.OPERATOR_NAME,
        "seller_contact": settings.OPERATOR_CONTACT,
        "seller_tax_id": getattr(settings, "OPERATOR_TAX_ID", ""),
    }


def _buyer(client: Any) -> dict[str, str]:
    """The billing identity: the real name when given, else the name the client uses here."""
    return {"buyer_name": client.real_name or client.display_name, "buyer_email": client.email}


@transaction.atomic
def issue_invoice(payment_id: int) -> Invoice:
    """The invoice for one ``payment_received`` row (once: the one-to-one link refuses twice)."""
    payment = (
        Transaction.objects.select_for_update()
        .select_related("client")
        .filter(pk=payment_id, kind=Transaction.Kind.PAYMENT_RECEIVED)
        .first()
    )
    if payment is None:
        raise InvoiceError("only a received payment is invoiced")
    if Invoice.objects.filter(payment=payment).exists():
        raise InvoiceError("already invoiced")
    jurisdiction = current_preset().jurisdiction
    rule = rule_for(jurisdiction)
    now = timezone.now()
    kind = Invoice.Kind.INVOICE
    tax = payment.amount_minor * rule.rate_bp // 10000
    invoice = Invoice.objects.create(
        kind=kind,
        series=SERIES[kind],
        year=now.year,
        number=next_number(SERIES[kind], now.year),
        client=payment.client,
        payment=payment,
        issued_at=now,
        jurisdiction=jurisdiction,
        currency=payment.currency,
        total_minor=payment.amount_minor + tax,
        tax_rule=rule.key,
        **_seller(),
        **_buyer(payment.client),
    )
    InvoiceLine.objects.create(
        invoice=invoice,
        product=payment.product,
        quantity=1,
        unit_minor=payment.amount_minor,
        amount_minor=payment.amount_minor,
        tax_rate_bp=rule.rate_bp,
        tax_minor=tax,
    )
    audit.record("billing.invoice.issued", subject_id=invoice.client_id, target=invoice)
    return invoice


@transaction.atomic
def issue_credit_note(staff: Any, invoice_id: int) -> Invoice:
    """Correct an invoice the only lawful way: a credit note of its own series that names the
    invoice and reverses every line with negative amounts. The invoice itself stays as issued."""
    if getattr(staff, "role", "") not in {"staff", "admin"}:
        raise PermissionDenied
    original = Invoice.objects.select_for_update().filter(pk=invoice_id, kind="invoice").first()
    if original is None:
        raise InvoiceError("no such invoice")
    if Invoice.objects.filter(credits=original).exists():
        raise InvoiceError("already credited")
    now = timezone.now()
    kind = Invoice.Kind.CREDIT_NOTE
    note = Invoice.objects.create(
        kind=kind,
        series=SERIES[kind],
        year=now.year,
        number=next_number(SERIES[kind], now.year),
        client_id=original.client_id,
        credits=original,
        issued_at=now,
        jurisdiction=original.jurisdiction,
        currency=original.currency,
        total_minor=-original.total_minor,
        tax_rule=original.tax_rule,
        seller_name=original.seller_name,
        seller_contact=original.seller_contact,
        seller_tax_id=original.seller_tax_id,
        buyer_name=original.buyer_name,
        buyer_email=original.buyer_email,
    )
    for line in original.lines.all():
        InvoiceLine.objects.create(
            invoice=note,
            product=line.product,
            quantity=-line.quantity,
            unit_minor=line.unit_minor,
            amount_minor=-line.amount_minor,
            tax_rate_bp=line.tax_rate_bp,
            tax_minor=-line.tax_minor,
        )
    audit.record("billing.credit_note.issued", actor=staff, subject_id=note.client_id, target=note)
    transaction.on_commit(lambda: send_invoice(note.pk))  # PAY-4: the client hears of it
    return note


def invoices_of(actor: Any, client_id: int) -> list[Invoice]:
    """A client's invoices and credit notes, for the client only (the access policy decides)."""
    _require_owner(actor, client_id)
    return list(Invoice.objects.filter(client_id=client_id).prefetch_related("lines"))


def invoice_for(actor: Any, invoice_id: int) -> Invoice:
    """One invoice for its owner; anyone else is refused (PermissionDenied, audited)."""
    invoice = Invoice.objects.filter(pk=invoice_id).prefetch_related("lines").first()
    if invoice is None:
        raise PermissionDenied
    _require_owner(actor, invoice.client_id, target=invoice)
    return invoice


def _require_owner(actor: Any, client_id: int, target: Any = None) -> None:
    # Billing is the client's own business: even a counselor in care may not read it.
    require_client_access(actor, client_id, Action.VIEW_IDENTITY, target=target)
    if actor.pk != client_id:
        raise PermissionDenied


__all__ = ["AppendOnlyError", "InvoiceError", "issue_credit_note", "issue_invoice", "next_number"]
