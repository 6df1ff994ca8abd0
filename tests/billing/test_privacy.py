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
