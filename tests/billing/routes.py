"""Object routes of the billing app for the role × route matrix (tests/test_route_matrix.py)."""

from __future__ import annotations

import uuid
from typing import Any


def object_routes(p: dict[str, Any]) -> dict[str, Any]:
    from confide.billing import services
    from confide.billing.models import Invoice
    from confide.billing.processors import mark_paid
    from tests.test_route_matrix import ObjectRoute

    due = services.buy(p["client"], "session")
    invoice = Invoice.objects.get(payment=mark_paid(p["staff"], due.pk))
    # An invoice is its client's alone: not the counselor in care, not staff, not another client.
    everyone_else = {"counselor", "other_counselor", "stranger", "team_leader", "staff", "admin"}
    # Bank details and payout files: the "payouts" permission only (staff/admin with is_staff),
    # never the counselor in full, another counselor, a team leader or a client (PAY-3).
    from confide.billing.payouts import set_account

    set_account(p["counselor"], "Carmen Ruiz", "ES9121000418450200051332", "CAIXESBBXXX")
    not_payouts = {"client", "counselor", "other_counselor", "stranger", "team_leader"}
    run = uuid.uuid4()
    return {
        "billing:invoice_pdf": ObjectRoute(
            {"invoice_id": invoice.pk}, everyone_else | {"anonymous"}
        ),
        "billing:payout_account": ObjectRoute(
            {"counselor_id": p["counselor"].pk}, not_payouts | {"anonymous"}
        ),
        "billing:payout_file": ObjectRoute(
            {"run": run, "kind": "csv"}, not_payouts | {"anonymous"}
        ),
    }
