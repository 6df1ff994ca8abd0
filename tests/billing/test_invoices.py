"""Invoices (PAY-1): gapless numbers under concurrency, immutable once issued, credit notes.
Runs on PostgreSQL too when DATABASE_URL is set."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import IntegrityError, connection, connections, transaction

from confide.billing import services
from confide.billing.invoices import InvoiceError, issue_credit_note, issue_invoice
from confide.billing.models import AppendOnlyError, Invoice, InvoiceLine, Transaction
from confide.billing.processors import mark_paid
from tests.factories import make_user


def _paid(client: Any, product: str = "session") -> Transaction:
    due = services.buy(client, product)
    return Transaction.objects.create(
        client=client,
        kind="payment_received",
        product=due.product,
        sessions=due.sessions,
        currency=due.currency,
        amount_minor=due.amount_minor,
        settles=due,
    )


@pytest.mark.django_db
@pytest.mark.promise("PAY-1")
def test_marking_a_transfer_paid_issues_one_invoice_with_seller_buyer_and_tax_note(
    client_user: Any, staff_user: Any, settings: Any
) -> None:
    settings.OPERATOR_NAME = "Confide Test SL"
    due = services.buy(client_user, "package_5")
    paid = mark_paid(staff_user, due.pk)
    invoice = Invoice.objects.get(payment=paid)
    assert (invoice.kind, invoice.series, invoice.number) == ("invoice", "F", 1)
    assert invoice.code == f"F-{invoice.year}-000001"
    assert invoice.seller_name == "Confide Test SL" and invoice.buyer_email == client_user.email
    assert (invoice.total_minor, invoice.currency, invoice.tax_rule) == (
        20000,
        "EUR",
        "exempt_health",
    )
    line = invoice.lines.get()
    assert (line.product, line.amount_minor, line.tax_minor) == ("package_5", 20000, 0)
    with pytest.raises(InvoiceError):
        issue_invoice(paid.pk)
    with pytest.raises(InvoiceError):
        issue_invoice(due.pk)  # a due amount is not invoiced
    from confide.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="billing.invoice.issued", subject_id=client_user.pk)
    second = mark_paid(staff_user, services.buy(client_user, "session").pk)
    assert Invoice.objects.get(payment=second).number == 2


@pytest.mark.django_db
@pytest.mark.promise("PAY-1")
def test_the_us_preset_prints_no_tax_and_spain_states_the_exemption(
    client_user: Any, settings: Any
) -> None:
    from confide.billing.taxes import note, rule_for

    assert rule_for("US").key == "none" and note("none", "US") == ""
    assert "Ley 37/1992" in note("exempt_health", "ES")
    assert "2023:200" in note("exempt_health", "SE")
    assert rule_for("AL").key == "exempt_health"


@pytest.mark.django_db
@pytest.mark.promise("PAY-1")
def test_an_issued_invoice_cannot_be_changed_by_the_service_or_the_database(
    client_user: Any,
) -> None:
    invoice = issue_invoice(_paid(client_user).pk)
    invoice.total_minor = 1
    with pytest.raises(AppendOnlyError):
        invoice.save()
    line = invoice.lines.get()
    with pytest.raises(AppendOnlyError):
        line.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.filter(pk=invoice.pk).update(total_minor=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        InvoiceLine.objects.filter(pk=line.pk).update(amount_minor=1)
    with (
        pytest.raises(Exception, match="immutable"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE billing_invoice SET buyer_name = 'someone else'")
    invoice.refresh_from_db()
    assert invoice.total_minor == 4500 and invoice.buyer_name != "someone else"


@pytest.mark.django_db
@pytest.mark.promise("PAY-1")
def test_a_correction_is_a_credit_note_of_its_own_series_with_negative_amounts(
    client_user: Any, staff_user: Any
) -> None:
    invoice = issue_invoice(_paid(client_user, "package_5").pk)
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied for a client
        issue_credit_note(client_user, invoice.pk)
    note = issue_credit_note(staff_user, invoice.pk)
    assert (note.kind, note.series, note.number, note.credits_id) == (
        "credit_note",
        "R",
        1,
        invoice.pk,
    )
    assert note.total_minor == -20000 and note.lines.get().amount_minor == -20000
    with pytest.raises(InvoiceError):
        issue_credit_note(staff_user, invoice.pk)
    invoice.refresh_from_db()
    assert invoice.total_minor == 20000  # the invoice stays as issued
    # The database refuses a credit note that references nothing, or a positive one.
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.create(
            kind="credit_note",
            series="R",
            year=note.year,
            number=99,
            client=client_user,
            issued_at=note.issued_at,
            jurisdiction="ES",
            currency="EUR",
            total_minor=100,
            seller_name="x",
            seller_contact="x",
            buyer_name="x",
            buyer_email="x",
            tax_rule="none",
        )


@pytest.mark.django_db(transaction=True)
@pytest.mark.promise("PAY-1")
def test_numbers_are_gapless_and_unique_under_concurrent_issues() -> None:
    workers, per_worker = 6, 4
    payments = [[_paid(make_user("client")).pk for _ in range(per_worker)] for _ in range(workers)]
    errors: list[BaseException] = []
    start = threading.Barrier(workers)

    def issue(worker: int) -> None:
        try:
            start.wait()
            for payment_id in payments[worker]:
                issue_invoice(payment_id)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == list(range(1, workers * per_worker + 1))
    assert Invoice.objects.values("year").distinct().count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.promise("PAY-1")
def test_a_failed_issue_leaves_no_gap(client_user: Any, monkeypatch: Any) -> None:
    first = issue_invoice(_paid(client_user).pk)
    with pytest.raises(InvoiceError):
        issue_invoice(first.payment_id or 0)
    failing = _paid(client_user)

    def broken(**fields: Any) -> None:
        raise RuntimeError("the line could not be written")

    with monkeypatch.context() as patch:  # fails after the number was taken
        patch.setattr(InvoiceLine.objects, "create", broken)
        with pytest.raises(RuntimeError):
            issue_invoice(failing.pk)
    assert not Invoice.objects.filter(payment=failing).exists()
    assert issue_invoice(failing.pk).number == first.number + 1
