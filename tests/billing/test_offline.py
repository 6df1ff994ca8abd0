"""The offline processor: bank transfer with a reference, marked paid by staff (PAY-1, PAY-2)."""

from __future__ import annotations

from typing import Any

import pytest

from confide.billing import services
from confide.billing.models import Transaction
from confide.billing.processors import OfflineProcessor, PaymentError, mark_paid

pytestmark = pytest.mark.django_db


@pytest.mark.promise("PAY-1")
def test_staff_mark_a_transfer_paid_once_and_it_is_a_new_record(
    client_user: Any, staff_user: Any
) -> None:
    due = services.buy(client_user, "session")
    assert OfflineProcessor().reference(due) == f"CF-{due.pk:08d}"
    with pytest.raises(PaymentError):
        mark_paid(client_user, due.pk)
    paid = mark_paid(staff_user, due.pk)
    assert (paid.kind, paid.amount_minor, paid.settles_id) == ("payment_received", 4500, due.pk)
    with pytest.raises(PaymentError):
        mark_paid(staff_user, due.pk)
    assert Transaction.objects.filter(client=client_user).count() == 2
