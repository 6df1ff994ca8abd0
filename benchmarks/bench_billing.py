"""Billing (issue 16): a Stripe webhook end to end (signature check, idempotent store, ledger
row) and an invoice PDF, against floors measured in the same run: a raw insert of one row for
the webhook, and WeasyPrint rendering an empty page for the PDF.

Targets: webhook p95 ≤ 20 ms; invoice PDF ≤ 300 ms. (Payouts are not built: no payout bench.)
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import time
import uuid
from typing import Any

from benchmarks.harness import Result, percentile, setup_django, summary_ms, timed

ROUNDS = 100
SECRET = "whsec_bench"  # noqa: S105 (a benchmark-only webhook secret)


def _signed(event: dict[str, Any]) -> tuple[bytes, str]:
    payload = json.dumps(event)
    stamp = int(time.time())
    mac = hmac.new(SECRET.encode(), f"{stamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return payload.encode(), f"t={stamp},v1={mac}"


def _dues(count: int) -> list[Any]:
    from confide.accounts.models import User
    from confide.billing import services
    from confide.billing.models import ProcessorPayment, Transaction

    dues = []
    for n in range(count):
        user = User.objects.create(email=f"bench{n}-{uuid.uuid4().hex[:6]}@bench-billing.test")
        services.buy(user, "session")
        due = Transaction.objects.get(client=user, kind=Transaction.Kind.PAYMENT_DUE)
        ProcessorPayment.objects.create(
            due=due, processor="stripe", session_ref=f"cs_bench_{uuid.uuid4().hex}"
        )
        dues.append(due)
    return dues


def _webhook() -> list[Result]:
    from django.conf import settings
    from django.db import connection

    from confide.billing import stripe_processor
    from confide.billing.models import ProcessorPayment

    settings.STRIPE_WEBHOOK_SECRET = SECRET
    payments = list(ProcessorPayment.objects.filter(due__in=_dues(ROUNDS)))
    events = iter(
        _signed(
            {
                "id": f"evt_{uuid.uuid4().hex}",
                "object": "event",
                "type": "checkout.session.completed",
                "data": {"object": {"id": p.session_ref, "payment_status": "paid",
                                    "payment_intent": f"pi_{p.pk}"}},
            }
        )
        for p in payments
    )  # fmt: skip
    handled = timed(lambda: stripe_processor.handle_webhook(*next(events)), ROUNDS)

    def raw_insert() -> None:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO bench_floor (v) VALUES (%s)", [uuid.uuid4().hex])

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_floor (v varchar(64))")
    floor = timed(raw_insert, ROUNDS)
    return [
        Result(
            "billing",
            "webhook_p95_ms",
            percentile(handled, 95) * 1000,
            "ms",
            floor=percentile(floor, 95) * 1000,
            target="<= 20 ms",
            notes=summary_ms(handled),
        )
    ]


def _pdf() -> list[Result]:
    from weasyprint import HTML

    from confide.accounts.models import User
    from confide.billing import document, processors
    from confide.billing.models import Invoice

    staff = User.objects.filter(email="staff@bench-billing.test").first() or User.objects.create(
        email="staff@bench-billing.test", role="staff", is_staff=True
    )
    due = _dues(1)[0]
    processors.mark_paid(staff, due.pk)
    invoice = Invoice.objects.filter(client_id=due.client_id).latest("pk")
    rendered = timed(lambda: document.render_pdf(invoice, "es"), 20)
    empty = timed(lambda: HTML(string="<p></p>").write_pdf(), 20)
    return [
        Result(
            "billing",
            "invoice_pdf_p95_ms",
            percentile(rendered, 95) * 1000,
            "ms",
            floor=percentile(empty, 95) * 1000,
            target="<= 300 ms",
            notes=summary_ms(rendered),
        )
    ]


def run() -> list[Result]:
    os.environ.setdefault("DEBUG", "false")
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return [*_webhook(), *_pdf()]
