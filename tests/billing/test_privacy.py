"""Money records in the privacy kernel: exported (RIGHTS-1), kept after erasure (RIGHTS-3)."""

from __future__ import annotations

from typing import Any

import pytest

from confide.billing import services
from confide.billing.models import Transaction
from confide.privacy.erasure import erase_account
from confide.privacy.export import collect

pytestmark = pytest.mark.django_db


@pytest.mark.promise("RIGHTS-1")
def test_the_export_holds_every_transaction_of_the_client(client_user: Any) -> None:
    services.start_trial(client_user)
    services.buy(client_user, "session")
    rows = collect(client_user.pk)["records"]["billing.Transaction"]["rows"]
    assert [row["kind"] for row in rows] == ["trial_started", "payment_due"]
    assert rows[1]["amount_minor"] == 4500 and rows[1]["currency"] == "EUR"


@pytest.mark.promise("RIGHTS-3")
def test_erasure_keeps_the_bookkeeping_records_and_says_until_when(client_user: Any) -> None:
    services.buy(client_user, "package_5")
    receipt = erase_account(client_user)
    assert Transaction.objects.filter(client=client_user).count() == 1
    kept = [line for line in receipt["kept"] if line["model"] == "billing.Transaction"]
    assert len(kept) == 1, receipt["kept"]
    assert kept[0]["law"] == "bookkeeping" and kept[0]["reason"] == "legal_hold"
    assert kept[0]["until"] and kept[0]["until"] > "2030"


def _invoiced(client_user: Any) -> Any:
    from confide.billing.invoices import issue_invoice

    due = services.buy(client_user, "session")
    paid = Transaction.objects.create(
        client=client_user,
        kind="payment_received",
        product="session",
        sessions=1,
        currency=due.currency,
        amount_minor=due.amount_minor,
        settles=due,
    )
    return issue_invoice(paid.pk)


@pytest.mark.promise("RIGHTS-1")
def test_the_export_holds_the_clients_invoices_and_their_lines(client_user: Any) -> None:
    invoice = _invoiced(client_user)
    records = collect(client_user.pk)["records"]
    rows = records["billing.Invoice"]["rows"]
    assert [row["number"] for row in rows] == [invoice.number]
    assert rows[0]["buyer_email"] == client_user.email and rows[0]["total_minor"] == 4500
    assert records["billing.InvoiceLine"]["rows"][0]["product"] == "session"


@pytest.mark.promise("RIGHTS-3")
@pytest.mark.promise("PAY-1")
def test_erasure_keeps_invoices_under_bookkeeping_law_and_the_receipt_says_until_when(
    client_user: Any,
) -> None:
    from confide.billing.models import Invoice, InvoiceLine

    invoice = _invoiced(client_user)
    email, name = invoice.buyer_email, invoice.buyer_name
    receipt = erase_account(client_user)
    kept = {line["model"]: line for line in receipt["kept"]}
    for label in ("billing.Invoice", "billing.InvoiceLine"):
        assert kept[label]["law"] == "bookkeeping" and kept[label]["reason"] == "legal_hold"
        assert kept[label]["until"] and kept[label]["until"] > "2030"
    from confide.privacy.erasure import receipt_lines

    titles = [line["title"] for line in receipt_lines(receipt)["kept"] if line["until"]]
    assert "invoices and credit notes" in titles and "invoice lines" in titles
    invoice.refresh_from_db()
    assert (invoice.buyer_email, invoice.buyer_name) == (email, name)  # as issued, by law
    assert InvoiceLine.objects.filter(invoice=invoice).count() == 1
    assert Invoice.objects.filter(client=client_user).count() == 1


def test_the_retention_sweep_keeps_invoices_inside_the_bookkeeping_period(
    client_user: Any,
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from confide.billing.models import Invoice, InvoiceLine
    from confide.privacy.retention import sweep

    _invoiced(client_user)
    sweep(timezone.now() + timedelta(days=365 * 5))
    assert Invoice.objects.count() == 1 and InvoiceLine.objects.count() == 1


@pytest.mark.promise("KEEP-1")
def test_money_records_are_deleted_once_the_bookkeeping_period_has_passed(
    client_user: Any,
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from confide.billing.models import Invoice, InvoiceLine, Transaction
    from confide.presets import current_preset
    from confide.privacy.retention import sweep

    _invoiced(client_user)
    later = timezone.now() + current_preset().payroll_record_retention + timedelta(days=2)
    for _ in range(4):  # rows that others still point to go on a later run
        sweep(later)
    assert not Invoice.objects.exists() and not InvoiceLine.objects.exists()
    assert not Transaction.objects.filter(client=client_user).exists()
