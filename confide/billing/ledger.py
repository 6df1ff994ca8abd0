"""The earnings ledger (PAY-3): every payment splits into the platform's fee and the counselor's
earnings, in double entry, inside the transaction that records the payment; a refund writes the
reversing entries. Amounts are integer minor units and the split is exact: fee + earnings is
always the amount, whatever the rounding."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from confide.billing.models import LedgerEntry, Transaction

Account = LedgerEntry.Account


def fee_percent() -> Decimal:
    """The platform's share of each payment, in percent (setting ``PLATFORM_FEE_PERCENT``)."""
    return Decimal(str(getattr(settings, "PLATFORM_FEE_PERCENT", 30)))


def split(amount: int) -> tuple[int, int]:
    """(fee, earnings) of ``amount`` minor units: the fee rounds half up, the counselor gets the
    rest, so nothing is lost or invented by rounding."""
    fee = int((Decimal(amount) * fee_percent() / 100).quantize(Decimal(1), ROUND_HALF_UP))
    fee = max(0, min(amount, fee))
    return fee, amount - fee


def counselor_of(client_id: int) -> int | None:
    """The client's counselor in active care now (at payment time), if any."""
    from confide.matching.models import CareRelationship

    return (
        CareRelationship.objects.filter(client_id=client_id, ended_at__isnull=True)
        .values_list("counselor_id", flat=True)
        .first()
    )


def _entries(tx: Transaction, counselor_id: int | None, sign: int) -> list[LedgerEntry]:
    fee, earnings = split(tx.amount_minor)
    if counselor_id is None:  # no counselor in care: the whole amount stays with the platform
        fee, earnings = tx.amount_minor, 0
    at = tx.at or timezone.now()
    rows = [(Account.CASH, -tx.amount_minor), (Account.PLATFORM, fee)]
    if earnings:
        rows.append((Account.COUNSELOR, earnings))
    return [
        LedgerEntry(
            counselor_id=counselor_id,
            account=account,
            transaction=tx,
            currency=tx.currency,
            amount_minor=sign * amount,
            at=at,
        )
        for account, amount in rows
    ]


def post_payment(tx: Transaction, *, of: Transaction | None = None) -> list[LedgerEntry]:
    """Book a ``payment_received`` (split) or a ``refunded`` row (reversed, for the counselor the
    original payment ``of`` was booked to). Call inside the transaction that wrote ``tx``."""
    if tx.kind == Transaction.Kind.PAYMENT_RECEIVED:
        entries = _entries(tx, counselor_of(tx.client_id), +1)
    elif tx.kind == Transaction.Kind.REFUNDED and tx.amount_minor:
        booked = LedgerEntry.objects.filter(transaction=of).exclude(counselor=None)
        counselor_id = booked.values_list("counselor_id", flat=True).first() if of else None
        entries = _entries(tx, counselor_id, -1)
    else:
        return []
    return LedgerEntry.objects.bulk_create(entries)


# --- Balances and statements --------------------------------------------------------------------
def balances(until: datetime | None = None) -> dict[tuple[int, str], int]:
    """What we owe each counselor, per currency: the sum of their ``counselor`` entries."""
    rows = LedgerEntry.objects.filter(account=Account.COUNSELOR, counselor__isnull=False)
    if until is not None:
        rows = rows.filter(at__lt=until)
    totals = rows.values("counselor_id", "currency").annotate(total=Sum("amount_minor"))
    return {(r["counselor_id"], r["currency"]): int(r["total"] or 0) for r in totals}


def balance_of(counselor_id: int) -> int:
    """Everything still owed to one counselor, all currencies added (0 means nothing pending)."""
    return sum(v for (cid, _cur), v in balances().items() if cid == counselor_id)


@dataclass
class Statement:
    month: date
    entries: list[LedgerEntry]
    earned: dict[str, int]
    fees: dict[str, int]
    reversed: dict[str, int]
    paid_out: dict[str, int]
    balance: dict[str, int]


def month_bounds(month: date, tz: Any) -> tuple[datetime, datetime]:
    """The first moment of ``month`` and of the next, in the reader's zone."""
    start = datetime.combine(month.replace(day=1), time.min, tzinfo=tz)
    following = (month.replace(day=1) + timedelta(days=32)).replace(day=1)
    return start, datetime.combine(following, time.min, tzinfo=tz)


def statement(counselor_id: int, month: date, tz: Any) -> Statement:
    """The counselor's month: their entries, and what they earned, the fee kept, refunds and
    payouts, per currency; the balance is what is owed at the end of the month."""
    start, end = month_bounds(month, tz)
    mine = LedgerEntry.objects.filter(counselor_id=counselor_id)
    entries = list(mine.filter(at__gte=start, at__lt=end).exclude(account=Account.CASH))
    earned: dict[str, int] = {}
    fees: dict[str, int] = {}
    reversed_: dict[str, int] = {}
    paid: dict[str, int] = {}
    for e in entries:
        if e.account == Account.PLATFORM:
            bucket = fees
        elif e.payout_id is not None:
            bucket = paid
        elif e.amount_minor < 0:
            bucket = reversed_
        else:
            bucket = earned
        bucket[e.currency] = bucket.get(e.currency, 0) + abs(e.amount_minor)
    owed = {cur: v for (cid, cur), v in balances(end).items() if cid == counselor_id}
    return Statement(month, entries, earned, fees, reversed_, paid, owed)
