"""WCAG 2.2 AA by axe-core on the billing pages (client and staff), with dues, payments and
invoices on them, in the four languages."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_accessibility import _signed_in, _violations
from tests.factories import make_user

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("locale", ["en-GB", "es-ES", "sv-SE", "sq-AL"])
def test_the_billing_pages_are_axe_clean(asgi_server: Any, new_context: Any, locale: str) -> None:
    from confide.billing import services
    from confide.billing.invoices import issue_credit_note
    from confide.billing.models import Invoice
    from confide.billing.processors import mark_paid

    language = locale.split("-")[0]
    client = make_user("client", nickname="Bea", language=language)
    staff = make_user("staff", passkey=True, language=language)
    services.start_trial(client)
    services.buy(client, "package_5")
    paid = mark_paid(staff, services.buy(client, "session").pk)
    issue_credit_note(staff, Invoice.objects.get(payment=paid).pk)
    found = _violations(_signed_in(new_context, client, asgi_server.url, locale), "/billing/")
    found += _violations(_signed_in(new_context, staff, asgi_server.url, locale), "/billing/staff/")
    assert not found, "\n".join(found)
