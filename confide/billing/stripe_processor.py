"""Stripe, through the official ``stripe`` library (PAY-2).

The client pays on Stripe's Checkout page: Confide creates a Checkout Session for a due amount
(currency and amount from our ledger, a product name that says nothing about care) and sends the
client there. Card data is typed at Stripe only; we keep the session and payment ids.

Webhooks (``handle_webhook``) are verified by Stripe's signature scheme and applied once per event
id, inside one transaction with their effect: a duplicate is a no-op, a crash before the commit
leaves nothing (Stripe sends the event again), and an event that arrives before the payment it
refers to waits as pending and is applied when that payment is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from confide.audit import services as audit
from confide.billing import ledger
from confide.billing.models import ProcessorEvent, ProcessorPayment, Transaction
from confide.billing.processors import record_payment

PRODUCT_NAMES = {"session": "Counselling session", "package_5": "Package of 5 sessions"}


class WebhookRefused(Exception):
    """Not a genuine Stripe event (bad or missing signature, unreadable payload)."""


def client() -> stripe.StripeClient:
    base: Any = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY or "", base_addresses=base, max_network_retries=2
    )


class StripeProcessor:
    key = "stripe"

    def reference(self, due: Transaction) -> str:
        payment = ProcessorPayment.objects.filter(due=due).first()
        return payment.session_ref if payment else ""

    def checkout(self, due: Transaction, *, success_url: str, cancel_url: str) -> str:
        """A Checkout Session for ``due``; returns the Stripe page to send the client to."""
        if due.kind != Transaction.Kind.PAYMENT_DUE:
            raise ValueError("only an amount due can be paid")
        existing = ProcessorPayment.objects.filter(due=due).first()
        if existing is not None and existing.payment_ref:
            raise ValueError("already paid")
        session = client().v1.checkout.sessions.create(
            params={
                "mode": "payment",
                "client_reference_id": str(due.pk),
                "metadata": {"due": str(due.pk)},
                "line_items": [
                    {
                        "quantity": 1,
                        "price_data": {
                            "currency": due.currency.lower(),
                            "unit_amount": due.amount_minor,
                            "product_data": {"name": PRODUCT_NAMES.get(due.product, "Sessions")},
                        },
                    }
                ],
                "success_url": success_url,
                "cancel_url": cancel_url,
            },
            # One session per due amount, even when the client presses "Pay" twice.
            options={"idempotency_key": f"confide-due-{due.pk}"},
        )
        ProcessorPayment.objects.update_or_create(
            due=due, defaults={"processor": self.key, "session_ref": session.id}
        )
        return str(session.url)


def checkout_for(client: Any, due_id: int, *, back_url: str) -> str | None:
    """Stripe's page for one of the client's own amounts due (None: no such amount of theirs)."""
    due = Transaction.objects.filter(
        pk=due_id, client_id=client.pk, kind=Transaction.Kind.PAYMENT_DUE
    ).first()
    if due is None:
        return None
    return StripeProcessor().checkout(due, success_url=back_url, cancel_url=back_url)


# --- Webhooks -----------------------------------------------------------------------------------
@dataclass
class Outcome:
    event_id: str
    applied: bool
    duplicate: bool = False


def _verify(payload: bytes, signature: str) -> dict[str, Any]:
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        raise WebhookRefused("no webhook secret configured")
    try:
        event = stripe.Webhook.construct_event(payload, signature, secret)
    except (ValueError, stripe.SignatureVerificationError) as exc:
        raise WebhookRefused(str(exc)) from exc
    return event.to_dict() if hasattr(event, "to_dict") else dict(event)


def _received(payment: ProcessorPayment, payment_ref: str) -> None:
    due = Transaction.objects.select_for_update().get(pk=payment.due_id)
    if Transaction.objects.filter(settles=due).exists():
        return
    record_payment(due)  # the same booking as a bank transfer: ledger, invoice, e-mail
    ProcessorPayment.objects.filter(pk=payment.pk).update(payment_ref=payment_ref)


def _reversal(payment: ProcessorPayment, kind: str, amount: int) -> None:
    due = payment.due
    reversal = Transaction.objects.create(
        client_id=due.client_id,
        kind=kind,
        product=due.product,
        currency=due.currency,
        amount_minor=amount,
    )
    # A refund takes back the fee and the earnings booked for the payment, in this transaction.
    ledger.post_payment(reversal, of=Transaction.objects.filter(settles=due).first())


def _apply(event: dict[str, Any]) -> bool:
    """The event's effect on our ledger; False when what it refers to is not recorded yet."""
    kind, obj = event["type"], event["data"]["object"]
    if kind == "checkout.session.completed":
        if obj.get("payment_status") != "paid":
            return True  # nothing to record until Stripe says it is paid
        payment = ProcessorPayment.objects.filter(session_ref=obj["id"]).first()
        if payment is None:
            return False
        _received(payment, str(obj.get("payment_intent") or ""))
        return True
    if kind in ("charge.refunded", "charge.dispute.created"):
        intent = obj.get("payment_intent") or obj.get("charge") or ""
        payment = (
            ProcessorPayment.objects.filter(payment_ref=intent).exclude(payment_ref="").first()
        )
        if payment is None:
            return False
        if kind == "charge.refunded":
            _reversal(payment, Transaction.Kind.REFUNDED, int(obj.get("amount_refunded") or 0))
        else:
            _reversal(payment, Transaction.Kind.DISPUTED, int(obj.get("amount") or 0))
        return True
    return True  # events we do not use are kept as received, and count as applied


def _drain_pending() -> int:
    """Apply events that were waiting for a payment recorded since."""
    applied = 0
    for row in ProcessorEvent.objects.filter(applied_at__isnull=True).order_by("received_at"):
        with transaction.atomic():
            locked = ProcessorEvent.objects.select_for_update().get(pk=row.pk)
            if locked.applied_at is None and _apply(locked.payload):
                locked.applied_at = timezone.now()
                locked.save(update_fields=["applied_at"])
                applied += 1
    return applied


def handle_webhook(payload: bytes, signature: str) -> Outcome:
    event = _verify(payload, signature)
    event_id = str(event["id"])
    try:
        with transaction.atomic():
            row = ProcessorEvent.objects.create(
                event_id=event_id, processor="stripe", type=event["type"], payload=event
            )
            applied = _apply(event)
            if applied:
                row.applied_at = timezone.now()
                row.save(update_fields=["applied_at"])
            audit.record(
                "billing.processor_event",
                details={"type": event["type"][:60], "applied": applied},
            )
    except IntegrityError:
        if ProcessorEvent.objects.filter(event_id=event_id).exists():
            return Outcome(event_id, applied=False, duplicate=True)
        raise
    if applied:
        _drain_pending()
    return Outcome(event_id, applied)


def refused_message() -> str:
    # Read by Stripe's delivery log, not by a person using Confide: one fixed English line.
    return "This request is not a genuine payment notification."
