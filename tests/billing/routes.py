"""Object routes of the billing app for the role × route matrix (tests/test_route_matrix.py)."""

from __future__ import annotations

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
    return {
        "billing:invoice_pdf": ObjectRoute(
            {"invoice_id": invoice.pk}, everyone_else | {"anonymous"}
        ),
    }
