"""The invoice PDF and e-mail (PAY-1, PAY-4): in the client's language, with the amounts, the
security line (ACC-7) and not one word about the care itself."""

from __future__ import annotations

from email import message_from_bytes
from typing import Any

import pytest
from django.core import mail

from confide.billing import document, services
from confide.billing.invoices import issue_credit_note
from confide.billing.models import Invoice
from confide.billing.notify import send_invoice
from confide.billing.processors import mark_paid
from confide.care.services import EntryDraft, write_entry

pytestmark = pytest.mark.django_db

#: Words that would tell a reader the invoice is about someone's health.
HEALTH_WORDS: tuple[str, ...] = (
    "anxiety",
    "depression",
    "therapy",
    "diagnos",
    "trauma",
    "ansiedad",
    "ångest",
)
HEALTH_WORDS += ("specialty", "specialit", "reason", "motivo", "symptom")


def _invoice(client_user: Any, staff_user: Any, product: str = "session") -> Invoice:
    due = services.buy(client_user, product)
    return Invoice.objects.get(payment=mark_paid(staff_user, due.pk))


def _clean(text: str) -> None:
    lowered = text.lower()
    assert not [word for word in HEALTH_WORDS if word in lowered], text


@pytest.mark.promise("PAY-1")
def test_the_pdf_is_a_pdf_and_its_html_says_nothing_about_care(
    care: Any, client_user: Any, staff_user: Any, canary: Any
) -> None:
    secret = canary.plant("journal")
    write_entry(client_user, EntryDraft(body=f"My anxiety this week: {secret}"))
    invoice = _invoice(client_user, staff_user, "package_5")
    html = document.render_html(invoice, "en")
    assert "Package of 5 sessions" in html and invoice.code in html and "€200.00" in html
    assert "Ley 37/1992" in html and invoice.buyer_email in html
    assert secret not in html
    _clean(html)
    assert document.render_pdf(invoice, "en").startswith(b"%PDF")
    canary.assert_clean()


@pytest.mark.promise("PAY-1")
def test_the_pdf_is_written_in_the_recipients_language(client_user: Any, staff_user: Any) -> None:
    invoice = _invoice(client_user, staff_user)
    spanish = document.render_html(invoice, "es")
    assert "Factura" in spanish and "45,00" in spanish and "Sesión de orientación" in spanish
    swedish = document.render_html(invoice, "sv")
    assert "Faktura" in swedish
    note = issue_credit_note(staff_user, invoice.pk)
    credit = document.render_html(note, "en")
    assert (
        "Credit note" in credit and invoice.code in credit and "-€45.00" in credit.replace("−", "-")
    )
    _clean(spanish + swedish + credit)


@pytest.mark.promise("PAY-4")
def test_the_invoice_email_is_in_the_clients_language_with_the_pdf_and_the_acc7_line(
    care: Any, client_user: Any, staff_user: Any, canary: Any
) -> None:
    client_user.language = "es"
    client_user.save()
    secret = canary.plant("journal")
    write_entry(client_user, EntryDraft(body=f"Terapia y ansiedad: {secret}"))
    invoice = _invoice(client_user, staff_user)
    mail.outbox.clear()
    send_invoice(invoice.pk)
    message = mail.outbox[-1]
    assert message.to == [client_user.email]
    assert invoice.code in message.subject and "factura" in message.subject.lower()
    assert "45,00" in message.body and "nunca" in message.body.lower()  # the ACC-7 line
    name, content, mimetype = message.attachments[0]
    assert (name, mimetype) == (f"{invoice.code}.pdf", "application/pdf")
    assert bytes(content).startswith(b"%PDF")
    _clean(f"{message.subject} {message.body}")
    assert secret not in message.message().as_string()
    canary.assert_clean()


@pytest.mark.promise("PAY-4")
def test_the_english_email_carries_the_security_line(client_user: Any, staff_user: Any) -> None:
    client_user.language = "en"
    client_user.save()
    invoice = _invoice(client_user, staff_user)
    send_invoice(invoice.pk)
    body = mail.outbox[-1].body
    assert "never ask for your password" in body and "€45.00" in body
    parsed = message_from_bytes(mail.outbox[-1].message().as_bytes())
    assert parsed.is_multipart()


@pytest.mark.django_db(transaction=True)
@pytest.mark.promise("PAY-4")
def test_marking_paid_emails_the_invoice_once_the_payment_is_saved(
    client_user: Any, staff_user: Any
) -> None:
    mail.outbox.clear()
    mark_paid(staff_user, services.buy(client_user, "session").pk)
    assert len(mail.outbox) == 1 and mail.outbox[0].attachments


@pytest.mark.django_db(transaction=True)
@pytest.mark.promise("PAY-4")
def test_a_credit_note_is_emailed_to_the_client(client_user: Any, staff_user: Any) -> None:
    invoice = _invoice(client_user, staff_user)
    mail.outbox.clear()
    note = issue_credit_note(staff_user, invoice.pk)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert note.code in message.subject and invoice.code in message.body
    _clean(f"{message.subject} {message.body}")
