"""PAY-1: prices per preset in integer minor units, trials and payments as append-only records."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from confide.billing import services
from confide.billing.models import AppendOnlyError, Transaction
from confide.billing.prices import PRICES, Price, format_amount, price_for

pytestmark = pytest.mark.django_db
Kind = Transaction.Kind


def test_every_preset_prices_each_product_in_its_currency() -> None:
    assert {p["session"].currency for p in PRICES.values()} == {"EUR", "SEK", "ALL", "USD"}
    assert price_for("SE", "package_5") == Price("SEK", 300000)
    with pytest.raises(ValueError):
        Price("EUR", 12.5)  # type: ignore[arg-type]


def test_amounts_are_formatted_for_the_readers_locale() -> None:
    assert format_amount(4500, "EUR", "en") == "€45.00"
    assert format_amount(4500, "EUR", "es").replace("\xa0", " ") == "45,00 €"
    assert format_amount(65000, "SEK", "sv").replace("\xa0", " ") == "650,00 kr"
    assert "2500" in format_amount(2500, "ALL", "sq").replace("\xa0", "").replace(".", "")


@pytest.mark.promise("PAY-1")
def test_a_trial_start_cancel_end_and_conversion_are_each_recorded(client_user: Any) -> None:
    services.start_trial(client_user)
    assert services.trial_state(client_user) == "active"
    with pytest.raises(services.TrialError):
        services.start_trial(client_user)
    services.finish_trial(client_user, Kind.TRIAL_CONVERTED, "package_5")
    assert services.trial_state(client_user) == "trial_converted"
    services.buy(client_user, "session")
    kinds = list(Transaction.objects.filter(client=client_user).values_list("kind", flat=True))
    assert kinds == ["trial_started", "trial_converted", "payment_due", "payment_due"]
    due = Transaction.objects.filter(client=client_user, kind="payment_due").first()
    assert due is not None and (due.currency, due.amount_minor, due.sessions) == ("EUR", 20000, 5)


@pytest.mark.promise("PAY-1")
def test_a_cancelled_trial_cannot_be_cancelled_again(client_user: Any) -> None:
    services.start_trial(client_user)
    services.finish_trial(client_user, Kind.TRIAL_CANCELLED)
    with pytest.raises(services.TrialError):
        services.finish_trial(client_user, Kind.TRIAL_ENDED)
    assert Transaction.objects.filter(client=client_user).count() == 2


@pytest.mark.promise("PAY-1")
def test_a_money_record_cannot_be_changed_by_the_service_or_the_database(client_user: Any) -> None:
    row = services.buy(client_user, "session")
    row.amount_minor = 1
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Transaction.objects.filter(pk=row.pk).update(amount_minor=1)
    with (
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE billing_transaction SET amount_minor = 1")
    row.refresh_from_db()
    assert row.amount_minor == 4500
