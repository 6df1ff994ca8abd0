"""Payment processors. The embedded default is the offline one: the client pays by bank transfer
quoting a reference, and staff mark the amount paid. No card data ever reaches Confide (PAY-2):
a processor only ever hands back references."""

from __future__ import annotations

from typing import Any, Protocol

from django.db import transaction

from confide.billing import ledger
from confide.billing.invoices import issue_invoice
from confide.billing.models import Transaction
from confide.billing.notify import send_invoice


class PaymentError(Exception):
    """The payment cannot be recorded (wrong row, already paid, not allowed)."""


class Processor(Protocol):
    key: str

    def reference(self, due: Transaction) -> str:
        """What the client quotes (or the processor returns) to pay ``due``."""


class OfflineProcessor:
    key = "bank_transfer"

    def reference(self, due: Transaction) -> str:
        # Built from the row id only: a bank statement must name nobody and no care.
        return f"CF-{due.pk:08d}"


@transaction.atomic
def mark_paid(staff: Any, due_id: int) -> Transaction:
    """Staff record that the bank transfer for a due amount arrived: one new row, never an edit.
    The one-to-one ``settles`` makes a second receipt for the same amount impossible. The
    invoice is issued with it and e-mailed to the client once the transaction commits (PAY-4)."""
    if getattr(staff, "role", "") not in {"staff", "admin"}:
        raise PaymentError("only staff mark transfers paid")
    due = Transaction.objects.select_for_update().filter(pk=due_id, kind="payment_due").first()
    if due is None:
        raise PaymentError("no such amount due")
    if Transaction.objects.filter(settles=due).exists():
        raise PaymentError("already paid")
    return record_payment(due)


def record_payment(due: Transaction) -> Transaction:
    """The amount ``due`` arrived (bank transfer or card): one ``payment_received`` row settling
    it, its ledger split, and its invoice, all in the caller's transaction; the invoice e-mail
    goes once that commits (PAY-1, PAY-3, PAY-4). The caller holds ``due`` locked."""
    paid = Transaction.objects.create(
        client_id=due.client_id,
        kind=Transaction.Kind.PAYMENT_RECEIVED,
        product=due.product,
        sessions=due.sessions,
        currency=due.currency,
        amount_minor=due.amount_minor,
        settles=due,
    )
    ledger.post_payment(paid)  # the fee and the counselor's earnings, in this transaction
    # The invoice is issued in the same transaction: a payment never lacks its invoice.
    invoice = issue_invoice(paid.pk)
    transaction.on_commit(lambda: send_invoice(invoice.pk))
    return paid
