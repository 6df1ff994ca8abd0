"""Billing services: every money event is one new Transaction row (PAY-1), never an edit."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from confide.billing.models import Transaction
from confide.billing.prices import SESSIONS, price_for
from confide.presets import current_preset

Kind = Transaction.Kind


class TrialError(Exception):
    """A trial step out of order (no trial, or one already finished)."""


def record(client: Any, kind: str, product: str = "") -> Transaction:
    """Append one money event; the price comes from the preset, never from the caller."""
    if product:
        price = price_for(current_preset().jurisdiction, product)
        return Transaction.objects.create(
            client=client,
            kind=kind,
            product=product,
            sessions=SESSIONS[product],
            currency=price.currency,
            amount_minor=price.minor,
        )
    return Transaction.objects.create(client=client, kind=kind)


def trial_state(client: Any) -> str:
    """``none`` | ``active`` | the kind that closed the latest trial."""
    trial_kinds = [Kind.TRIAL_STARTED, Kind.TRIAL_CANCELLED, Kind.TRIAL_ENDED, Kind.TRIAL_CONVERTED]
    last = Transaction.objects.filter(client=client, kind__in=trial_kinds).order_by("-id").first()
    if last is None:
        return "none"
    return "active" if last.kind == Kind.TRIAL_STARTED else str(last.kind)


@transaction.atomic
def start_trial(client: Any) -> Transaction:
    if trial_state(client) != "none":
        raise TrialError("one trial per client")
    return record(client, Kind.TRIAL_STARTED)


@transaction.atomic
def finish_trial(client: Any, kind: str, product: str = "") -> Transaction:
    """Cancel, end or convert the active trial (conversion names the product bought)."""
    if kind not in {Kind.TRIAL_CANCELLED, Kind.TRIAL_ENDED, Kind.TRIAL_CONVERTED}:
        raise TrialError(kind)
    if trial_state(client) != "active":
        raise TrialError("no active trial")
    event = record(client, kind)
    if kind == Kind.TRIAL_CONVERTED:
        record(client, Kind.PAYMENT_DUE, product or "package_5")
    return event


def buy(client: Any, product: str) -> Transaction:
    """Pay per session (``session``) or a package of sessions: the amount falls due."""
    return record(client, Kind.PAYMENT_DUE, product)
