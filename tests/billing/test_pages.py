"""The billing pages: the client's own page and download, the staff page that marks a transfer
paid (PAY-1, PAY-4)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from confide.billing import services
from confide.billing.models import Invoice
from confide.billing.processors import OfflineProcessor, mark_paid
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.promise("PAY-1")
def test_the_client_sees_trial_dues_with_reference_payments_and_invoices(
    client: Any, client_user: Any, staff_user: Any
) -> None:
    services.start_trial(client_user)
    open_due = services.buy(client_user, "package_5")
    paid = mark_paid(staff_user, services.buy(client_user, "session").pk)
    invoice = Invoice.objects.get(payment=paid)
    client.force_login(client_user)
    page = client.get(reverse("billing:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Your free trial is running." in page
    assert OfflineProcessor().reference(open_due) in page
    assert paid.settles is not None
    assert OfflineProcessor().reference(paid.settles) not in page  # paid: no longer due
    assert "Payments received" in page and invoice.code in page
    url = reverse("billing:invoice_pdf", args=[invoice.pk])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert invoice.code in response["Content-Disposition"]


@pytest.mark.promise("PAY-1")
def test_another_client_cannot_download_an_invoice(
    client: Any, client_user: Any, staff_user: Any, care: Any, counselor: Any
) -> None:
    invoice = Invoice.objects.get(
        payment=mark_paid(staff_user, services.buy(client_user, "session").pk)
    )
    url = reverse("billing:invoice_pdf", args=[invoice.pk])
    client.force_login(make_user("client"))
    assert client.get(url).status_code in {403, 404}
    assert invoice.code not in client.get(reverse("billing:home")).content.decode()
    client.force_login(counselor)  # even the client's own counselor
    assert client.get(url).status_code in {403, 404}
    client.force_login(client_user)
    assert client.get(reverse("billing:invoice_pdf", args=[invoice.pk + 999])).status_code in {
        403,
        404,
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.promise("PAY-4")
def test_staff_mark_a_transfer_paid_on_their_page_which_issues_and_mails_the_invoice(
    client: Any, client_user: Any, staff_user: Any
) -> None:
    due = services.buy(client_user, "session")
    client.force_login(staff_user)
    page = client.get(reverse("billing:staff")).content.decode()
    assert OfflineProcessor().reference(due) in page and client_user.email not in page
    mail.outbox.clear()
    response = client.post(reverse("billing:staff"), {"due": due.pk})
    assert response.status_code == 302
    invoice = Invoice.objects.get(client=client_user)
    assert len(mail.outbox) == 1 and invoice.code in mail.outbox[0].subject
    again = client.post(reverse("billing:staff"), {"due": due.pk}, follow=True)
    assert "could not be marked paid" in again.content.decode()
    assert Invoice.objects.filter(client=client_user).count() == 1
    client.force_login(client_user)
    assert client.post(reverse("billing:staff"), {"due": due.pk}).status_code == 403


@pytest.mark.parametrize(
    ("language", "words"),
    [("es", "Facturación"), ("sv", "Betalningar"), ("sq", "Faturimi"), ("en", "Billing")],
)
def test_the_billing_page_speaks_four_languages(
    client: Any, client_user: Any, language: str, words: str
) -> None:
    client_user.language = language
    client_user.save()
    client.force_login(client_user)
    page = client.get(reverse("billing:home"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f"<h1>{words}</h1>" in page
    assert reverse("billing:home") in page  # the navigation link


def test_the_staff_link_is_in_the_staff_navigation(client: Any, staff_user: Any) -> None:
    client.force_login(staff_user)
    page = client.get("/").content.decode()
    assert reverse("billing:staff") in page
