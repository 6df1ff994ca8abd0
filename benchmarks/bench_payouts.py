"""Payouts (PAY-3): a payout run for 1,000 counselors with 40 booked payments each (balances
from 120,000 ledger entries, one Payout and two entries per counselor, one audit event per
full bank-detail read, a pain.001 validated against its XSD, and the CSV), against a floor
measured in the same run: raw inserts of as many rows as the run writes (payouts + ledger entries).

Targets: 1,000 counselors × 40 payments ≤ 5 s; linear in payments (500 vs 1,000 counselors:
the ratio of the two runs near 2, reported).
"""

from __future__ import annotations

import os
import time
import uuid
from typing import Any

from benchmarks.harness import Result, setup_django

PAYMENTS = 40
IBANS = ["ES9121000418450200051332", "DE89370400440532013000", "NL91ABNA0417164300"]
BICS = ["CAIXESBBXXX", "COBADEFFXXX", "ABNANL2AXXX"]


def _counselors(count: int) -> list[Any]:
    """Counselors with a valid account and ``PAYMENTS`` booked payments each (not timed)."""
    from django.utils import timezone

    from confide.accounts.models import User
    from confide.billing import ledger
    from confide.billing.models import LedgerEntry, PayoutAccount

    tag = uuid.uuid4().hex[:6]
    users = [
        User.objects.create(email=f"c{n}-{tag}@bench-payouts.test", role="counselor")
        for n in range(count)
    ]
    now = timezone.now()
    fee, earnings = ledger.split(4500)
    split = [("cash", -4500), ("platform", fee), ("counselor", earnings)]
    rows = [
        LedgerEntry(counselor=u, account=account, currency="EUR", amount_minor=amount, at=now)
        for u in users
        for _ in range(PAYMENTS)
        for account, amount in split
    ]
    LedgerEntry.objects.bulk_create(rows, batch_size=5000)
    PayoutAccount.objects.bulk_create(
        PayoutAccount(counselor=u, holder=f"Holder {n}", iban=IBANS[n % 3], bic=BICS[n % 3])
        for n, u in enumerate(users)
    )
    return users


def _run(staff: Any, count: int) -> tuple[float, int]:
    from django.utils import timezone

    from confide.billing import payouts

    _counselors(count)
    start = time.perf_counter()
    run = payouts.run_payouts(staff, timezone.localdate())
    elapsed = time.perf_counter() - start
    assert len(run.payouts) == count and run.sepa_xml and not run.skipped
    return elapsed, len(run.payouts) * 3  # a Payout and two ledger entries each


def _floor(rows: int) -> float:
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_floor (v varchar(64))")
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO bench_floor (v) VALUES (%s)", [[uuid.uuid4().hex] for _ in range(rows)]
        )
    return time.perf_counter() - start


def run() -> list[Result]:
    os.environ.setdefault("DEBUG", "false")
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    from confide.accounts.models import User

    call_command("migrate", verbosity=0, interactive=False)
    settings.PAYOUT_DEBTOR_NAME = "Confide Bench"
    settings.PAYOUT_DEBTOR_IBAN = "DE89370400440532013000"
    settings.PAYOUT_DEBTOR_BIC = "COBADEFFXXX"
    staff = User.objects.filter(email="staff@bench-payouts.test").first() or User.objects.create(
        email="staff@bench-payouts.test", role="staff", is_staff=True
    )
    _run(staff, 20)  # warm-up: imports, the XSD parsed once, caches; not reported
    half, _rows = _run(staff, 500)
    full, rows = _run(staff, 1000)
    floor = _floor(rows)
    return [
        Result(
            "payouts",
            "run_1000x40_s",
            full,
            "s",
            floor=floor,
            target="<= 5 s; 1000/500 near 2",
            notes={"run_500x40_s": round(half, 3), "ratio_1000_vs_500": round(full / half, 2),
                   "rows_written": rows},
        )
    ]  # fmt: skip
