"""Demo billing (embedded default only): the demo client has a trial and one session to pay by
bank transfer, so the billing page shows a reference and the staff account can mark it paid
(which issues the invoice and e-mails it to the outbox). Safe to run again."""

from __future__ import annotations

from typing import Any


def seed(stdout: Any) -> None:
    from confide.accounts.models import User
    from confide.billing import services
    from confide.billing.models import Transaction

    client = User.objects.filter(email="client@demo.confide.localhost").first()
    if client is None or Transaction.objects.filter(client=client).exists():
        return
    services.start_trial(client)
    services.buy(client, "session")
    stdout.write("billing: the demo client has a trial and one session to pay by bank transfer")
