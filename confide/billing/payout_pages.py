"""What the earnings and payouts pages show (PAY-3); the views only render."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from babel.dates import format_date
from django.utils import timezone
from django.utils.translation import gettext as _

from confide.billing import ledger, payouts
from confide.billing.models import LedgerEntry, Payout
from confide.billing.prices import format_amount
from confide.core import times

_LOCALES = {"es": "es_ES", "sv": "sv_SE", "sq": "sq_AL"}


def parse_month(text: str, today: date) -> date:
    """``2026-11`` to its first day; anything else is this month."""
    try:
        year, month = (int(part) for part in text.split("-", 1))
        return date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


def _amounts(totals: dict[str, int], language: str) -> str:
    return ", ".join(format_amount(v, cur, language) for cur, v in sorted(totals.items())) or (
        format_amount(0, "EUR", language)
    )


def _label(entry: LedgerEntry) -> str:
    if entry.account == LedgerEntry.Account.PLATFORM:
        return _("Platform fee") if entry.amount_minor >= 0 else _("Platform fee returned")
    if entry.payout_id is not None:
        return _("Paid out to your account")
    return _("Earned from a session payment") if entry.amount_minor >= 0 else _("Refunded")


def earnings_page(counselor: Any, month_text: str, language: str) -> dict[str, Any]:
    """The counselor's month in their zone and language, and their bank details, masked."""
    tz = times.current_zone()
    month = parse_month(month_text, timezone.localdate())
    statement = ledger.statement(counselor.pk, month, tz)
    previous = (month - timedelta(days=1)).replace(day=1)
    following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return {
        "month": format_date(month, "LLLL y", locale=_LOCALES.get(language, "en")),
        "zone": times.zone_name(tz),
        "previous": f"{previous:%Y-%m}",
        "following": f"{following:%Y-%m}",
        "rows": [
            {
                "when": times.when(e.at, "short"),
                "label": _label(e),
                "amount": format_amount(e.amount_minor, e.currency, language),
            }
            for e in statement.entries
        ],
        "earned": _amounts(statement.earned, language),
        "fees": _amounts(statement.fees, language),
        "reversed": _amounts(statement.reversed, language),
        "paid_out": _amounts(statement.paid_out, language),
        "balance": _amounts(statement.balance, language),
        "fee_percent": ledger.fee_percent(),
        "bank": payouts.bank_details(counselor, counselor.pk),
    }


def payouts_page(language: str) -> dict[str, Any]:
    """Staff: whether the debtor is configured, who a run would pay or skip, the latest runs."""
    state = payouts.preview()
    names = _names({cid for cid, _cur in state["owed"]})
    runs: dict[Any, dict[str, Any]] = {}
    for p in Payout.objects.order_by("-created_at", "-id")[:500]:
        run = runs.setdefault(p.run, _run_row(p))
        run["count"] += 1
    payable = [
        {"name": names.get(cid, ""), "counselor_id": cid, "amount": format_amount(v, cur, language)}
        for (cid, cur), v in sorted(state["owed"].items())
        if cid in state["payable"]
    ]
    return {
        "configured": payouts.debtor() is not None,
        "payable": payable,
        "skipped": [{"name": names.get(cid, ""), "counselor_id": cid} for cid in state["skipped"]],
        "runs": list(runs.values())[:20],
    }


def _run_row(p: Payout) -> dict[str, Any]:
    return {
        "run": p.run,
        "when": times.when(p.created_at, "short"),
        "period_end": times.when(p.period_end),
        "count": 0,
    }


def _names(ids: set[int]) -> dict[int, str]:
    from confide.accounts.models import User

    return {
        u.pk: f"{u.first_name} {u.last_name}".strip() or u.email
        for u in User.objects.filter(pk__in=ids)
    }
