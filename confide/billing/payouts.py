"""Counselor bank details and the payout run (PAY-3).

Bank details are encrypted at rest and read through the access policy: the counselor sees their
own masked (last four characters), the "payouts" permission sees them in full, audited. A payout
run pays every counselor with a positive balance and a valid account: one append-only
:class:`Payout` each and the ledger entries that bring the balance to zero, in one transaction,
and writes a SEPA credit-transfer file (pain.001, validated against the XSD sepaxml ships) and a
CSV for other rails. Counselors without a valid account are skipped, never paid.
"""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from confide.audit import services as audit
from confide.billing import ledger
from confide.billing.models import LedgerEntry, Payout, PayoutAccount
from confide.privacy.access import may_handle_payouts, require_bank_details

Account = LedgerEntry.Account


# --- Bank details -------------------------------------------------------------------------------
def clean_bank_details(holder: str, iban: str, bic: str) -> tuple[str, str, str]:
    """Normalised (holder, IBAN, BIC); a ValidationError in the reader's language if wrong."""
    holder = " ".join(holder.split())
    if not holder:
        raise ValidationError(_("Enter the name of the account holder."))
    try:
        parsed = IBAN(iban)
    except SchwiftyException as exc:
        raise ValidationError(
            _("This IBAN is not valid. Check it against your bank statement.")
        ) from exc
    try:
        code = BIC(bic) if bic.strip() else parsed.bic
    except SchwiftyException as exc:
        raise ValidationError(_("This BIC is not valid. Your bank can tell you its BIC.")) from exc
    if code is None:
        raise ValidationError(_("Enter your bank's BIC."))
    return holder, parsed.compact, str(code.compact)


def valid_account(account: PayoutAccount) -> bool:
    try:
        clean_bank_details(str(account.holder), str(account.iban), str(account.bic))
    except ValidationError:
        return False
    return True


@transaction.atomic
def set_account(counselor: Any, holder: str, iban: str, bic: str) -> PayoutAccount:
    """The counselor gives (or changes) where they are paid; validated before it is stored."""
    if getattr(counselor, "role", "") != "counselor":
        raise PermissionDenied
    holder, iban, bic = clean_bank_details(holder, iban, bic)
    account = PayoutAccount.objects.filter(counselor=counselor).first()
    account = account or PayoutAccount(counselor=counselor)
    account.holder, account.iban, account.bic = holder, iban, bic
    account.save()
    audit.record("billing.payout_account_set", actor=counselor, subject_id=counselor.pk)
    return account


def mask(iban: str) -> str:
    return f"•••• {iban[-4:]}" if iban else ""


@dataclass
class BankDetails:
    holder: str
    iban: str  # masked unless read in full
    bic: str


def bank_details(actor: Any, counselor_id: int, *, full: bool = False) -> BankDetails | None:
    """The counselor's account through the access policy (PermissionDenied for anyone else)."""
    account = PayoutAccount.objects.filter(counselor_id=counselor_id).first()
    require_bank_details(actor, counselor_id, full=full, target=account)
    if account is None:
        return None
    iban = str(account.iban)
    return BankDetails(str(account.holder), iban if full else mask(iban), str(account.bic))


def erase_account(user: Any, item_id: str) -> bool:
    """Item action: a counselor's bank details go when they ask, unless a payout is pending
    (a positive balance still has to be paid to that account)."""
    try:
        rows = PayoutAccount.objects.filter(counselor=user, pk=item_id)
    except (ValidationError, ValueError):
        return False
    if not rows.exists() or ledger.balance_of(user.pk) > 0:
        return False
    rows.delete()
    audit.record("billing.payout_account_erased", actor=user, subject_id=user.pk)
    return True


# --- The payout run -----------------------------------------------------------------------------
def debtor() -> dict[str, str] | None:
    """The operator's account money leaves from; None until the three settings are given."""
    name = getattr(settings, "PAYOUT_DEBTOR_NAME", "")
    iban = getattr(settings, "PAYOUT_DEBTOR_IBAN", "")
    bic = getattr(settings, "PAYOUT_DEBTOR_BIC", "")
    return {"name": name, "IBAN": iban, "BIC": bic} if name and iban and bic else None


@dataclass
class Run:
    run: uuid.UUID
    payouts: list[Payout] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)  # counselor ids without a valid account
    sepa_xml: bytes = b""
    csv_text: str = ""


def _cutoff(period_end: date) -> datetime:
    return datetime.combine(
        period_end + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone()
    )


@transaction.atomic
def run_payouts(staff: Any, period_end: date) -> Run:
    """Pay every positive balance booked up to ``period_end`` into a valid account."""
    if not may_handle_payouts(staff):
        raise PermissionDenied
    owed = {k: v for k, v in ledger.balances(_cutoff(period_end)).items() if v > 0}
    ids = {cid for cid, _cur in owed}
    accounts = {a.counselor_id: a for a in PayoutAccount.objects.filter(counselor_id__in=ids)}
    valid = {cid for cid, a in accounts.items() if valid_account(a)}
    result = Run(run=uuid.uuid4(), skipped=sorted(ids - valid))
    now = timezone.now()
    result.payouts = Payout.objects.bulk_create(
        Payout(run=result.run, counselor_id=cid, created_by=staff, period_end=period_end,
               currency=cur, amount_minor=amount)
        for (cid, cur), amount in sorted(owed.items()) if cid in valid
    )  # fmt: skip
    LedgerEntry.objects.bulk_create(
        LedgerEntry(counselor_id=p.counselor_id, account=account, payout=p, currency=p.currency,
                    amount_minor=sign * p.amount_minor, at=now)
        for p in result.payouts for account, sign in ((Account.COUNSELOR, -1), (Account.CASH, 1))
    )  # fmt: skip
    _audit_full_reads(staff, [accounts[p.counselor_id] for p in result.payouts], "payout run")
    result.sepa_xml, result.csv_text = files(result.payouts, accounts)
    audit.record("billing.payout_run", actor=staff,
                 details={"paid": len(result.payouts), "skipped": len(result.skipped)})  # fmt: skip
    return result


def _audit_full_reads(staff: Any, accounts: list[PayoutAccount], reason: str) -> None:
    """One audit event per account read in full, each under its counselor (their access log)."""
    for account in {a.pk: a for a in accounts}.values():
        audit.record(
            "access.bank_details",
            actor=staff,
            subject_id=account.counselor_id,
            target=account,
            reason=reason,
        )


def _reference(payout: Payout) -> str:
    # Names nobody and no care: the run's date and the payout's number.
    return f"Confide payout {payout.period_end:%Y-%m} {payout.pk}"


def files(payouts: list[Payout], accounts: dict[int, PayoutAccount]) -> tuple[bytes, str]:
    """The SEPA pain.001 for euro payouts (empty when the debtor is not configured or nothing is
    in euro) and a CSV of every payout for other rails."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["payout", "holder", "iban", "bic", "currency", "amount_minor", "reference"])
    for p in payouts:
        a = accounts[p.counselor_id]
        writer.writerow([p.pk, a.holder, a.iban, a.bic, p.currency, p.amount_minor, _reference(p)])
    euro = [p for p in payouts if p.currency == "EUR"]
    return (sepa(euro, accounts) if euro and debtor() else b""), out.getvalue()


def sepa(payouts: list[Payout], accounts: dict[int, PayoutAccount]) -> bytes:
    """pain.001.001.03, validated by sepaxml against its bundled XSD (xmlschema)."""
    from sepaxml import SepaTransfer

    config = {**(debtor() or {}), "batch": True, "currency": "EUR"}
    transfer = SepaTransfer(config, clean=True)
    today = timezone.localdate()
    for p in payouts:
        a = accounts[p.counselor_id]
        transfer.add_payment({
            "name": a.holder, "IBAN": a.iban, "BIC": a.bic, "amount": p.amount_minor,
            "execution_date": today, "description": _reference(p), "endtoend_id": f"CF{p.pk}",
        })  # fmt: skip
    return bytes(transfer.export(validate=True))


def run_files(staff: Any, run_id: uuid.UUID) -> tuple[bytes, str]:
    """The files of an earlier run, again: every full IBAN read is audited."""
    if not may_handle_payouts(staff):
        raise PermissionDenied
    payouts = list(Payout.objects.filter(run=run_id).order_by("id"))
    ids = {p.counselor_id for p in payouts}
    accounts = {a.counselor_id: a for a in PayoutAccount.objects.filter(counselor_id__in=ids)}
    paid = [p for p in payouts if p.counselor_id in accounts]
    _audit_full_reads(staff, [accounts[p.counselor_id] for p in paid], "payout file")
    return files(paid, accounts)


def preview() -> dict[str, Any]:
    """Who a run now would pay and who it would skip (no bank details shown)."""
    owed = {k: v for k, v in ledger.balances().items() if v > 0}
    ids = {cid for cid, _cur in owed}
    accounts = {a.counselor_id: a for a in PayoutAccount.objects.filter(counselor_id__in=ids)}
    valid = {cid for cid, a in accounts.items() if valid_account(a)}
    return {"owed": owed, "payable": valid, "skipped": sorted(ids - valid)}
