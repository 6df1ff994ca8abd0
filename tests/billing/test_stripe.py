"""PAY-2 and the Stripe adapter: the official ``stripe`` library talks to a local server that
answers Stripe's API, and webhooks carry Stripe's own signature scheme (HMAC-SHA256 over
"timestamp.payload"). Card data never reaches Confide; webhooks are verified, idempotent, correct
out of order, and a process killed mid-webhook leaves nothing half-written."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest
from django.db import connection
from django.urls import reverse

from confide.billing import services, stripe_processor
from confide.billing.models import ProcessorEvent, ProcessorPayment, Transaction

SECRET = "whsec_test_confide"
Kind = Transaction.Kind


class FakeStripe(BaseHTTPRequestHandler):
    """Answers POST /v1/checkout/sessions like Stripe; remembers what it was sent."""

    received: list[dict[str, str]] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        form = dict(parse_qsl(self.rfile.read(length).decode()))
        FakeStripe.received.append({"path": self.path, **form})
        session_id = f"cs_test_{uuid.uuid4().hex[:12]}"
        body = json.dumps(
            {
                "id": session_id,
                "object": "checkout.session",
                "url": f"https://checkout.stripe.com/c/pay/{session_id}",
                "payment_status": "unpaid",
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Request-Id", "req_test")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        return


@pytest.fixture
def stripe_api(settings: Any) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeStripe)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeStripe.received = []
    settings.STRIPE_SECRET_KEY = "sk_test_confide"
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{server.server_address[1]}"
    yield settings.STRIPE_API_BASE
    server.shutdown()


def _signed(
    event: dict[str, Any], secret: str = SECRET, at: int | None = None
) -> tuple[bytes, str]:
    payload = json.dumps(event)
    stamp = at or int(time.time())
    mac = hmac.new(secret.encode(), f"{stamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return payload.encode(), f"t={stamp},v1={mac}"


def _event(kind: str, obj: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": f"evt_{uuid.uuid4().hex[:14]}",
        "object": "event",
        "type": kind,
        "data": {"object": obj},
    }


def _completed(session: str, intent: str = "pi_test_1") -> dict[str, Any]:
    return _event(
        "checkout.session.completed",
        {"id": session, "object": "checkout.session", "payment_status": "paid",
         "payment_intent": intent},
    )  # fmt: skip


def _post(client: Any, event: dict[str, Any], **kw: Any) -> Any:
    payload, signature = _signed(event, **kw)
    return client.post(
        reverse("billing_stripe:webhook"),
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature,
    )


def _due(user: Any) -> Transaction:
    services.buy(user, "session")
    return Transaction.objects.get(client=user, kind=Kind.PAYMENT_DUE)


@pytest.mark.promise("PAY-2")
@pytest.mark.django_db
def test_the_client_pays_on_stripes_page_and_no_card_data_reaches_us(
    client: Any, client_user: Any, stripe_api: str
) -> None:
    due = _due(client_user)
    client.force_login(client_user)
    response = client.post(reverse("billing_stripe:pay", args=[due.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith("https://checkout.stripe.com/c/pay/cs_test_")
    (sent,) = FakeStripe.received
    assert sent["path"] == "/v1/checkout/sessions" and sent["mode"] == "payment"
    assert sent["line_items[0][price_data][unit_amount]"] == str(due.amount_minor)
    assert sent["line_items[0][price_data][currency]"] == due.currency.lower()
    assert not any("card" in key or "cvc" in key for key in sent)
    payment = ProcessorPayment.objects.get(due=due)
    assert response["Location"].endswith(payment.session_ref)
    # Nothing we store has room for a card: no column names one.
    columns = {
        f.name for m in (Transaction, ProcessorPayment, ProcessorEvent) for f in m._meta.fields
    }
    assert not [c for c in columns if "card" in c or "cvc" in c or c == "pan"]


@pytest.mark.django_db
def test_another_clients_due_cannot_be_paid_here(
    client: Any, client_user: Any, stranger: Any, stripe_api: str
) -> None:
    due = _due(client_user)
    client.force_login(stranger)
    assert client.post(reverse("billing_stripe:pay", args=[due.pk])).status_code == 404
    assert not FakeStripe.received


@pytest.mark.promise("PAY-1")
@pytest.mark.django_db
def test_a_webhook_records_the_payment_once_and_forgeries_are_refused(
    client: Any, client_user: Any, stripe_api: str
) -> None:
    due = _due(client_user)
    session = stripe_processor.StripeProcessor().checkout(due, success_url="x", cancel_url="x")
    event = _completed(session.rsplit("/", 1)[-1])
    forged = _post(client, event, secret="whsec_not_ours")
    stale = _post(client, event, at=int(time.time()) - 3600)
    assert forged.status_code == stale.status_code == 400
    assert "genuine" in forged.json()["error"]
    assert not ProcessorEvent.objects.exists()
    assert _post(client, event).status_code == 200
    assert _post(client, event).json()["duplicate"] is True
    received = Transaction.objects.filter(kind=Kind.PAYMENT_RECEIVED, settles=due)
    assert received.count() == 1 and received.get().amount_minor == due.amount_minor


@pytest.mark.promise("PAY-1")
@pytest.mark.django_db
def test_a_refund_arriving_before_the_payment_waits_and_then_applies(
    client: Any, client_user: Any, stripe_api: str
) -> None:
    due = _due(client_user)
    session = stripe_processor.StripeProcessor().checkout(due, success_url="x", cancel_url="x")
    refund = _event(
        "charge.refunded",
        {"id": "ch_1", "object": "charge", "payment_intent": "pi_early", "amount_refunded": 500},
    )
    assert _post(client, refund).status_code == 200
    assert ProcessorEvent.objects.get(event_id=refund["id"]).applied_at is None
    assert not Transaction.objects.filter(kind=Kind.REFUNDED).exists()
    _post(client, _completed(session.rsplit("/", 1)[-1], intent="pi_early"))
    assert Transaction.objects.filter(kind=Kind.PAYMENT_RECEIVED, settles=due).count() == 1
    refunded = Transaction.objects.get(kind=Kind.REFUNDED)
    assert refunded.amount_minor == 500 and refunded.client_id == client_user.pk
    assert not ProcessorEvent.objects.filter(applied_at__isnull=True).exists()


_KILLED_MID_WEBHOOK = """
import os, signal, sys, django
django.setup()
from confide.billing import stripe_processor
real = stripe_processor._received
def die_after(payment, ref):
    real(payment, ref)              # the payment row is written, not yet committed...
    os.kill(os.getpid(), signal.SIGKILL)   # ...and the process is killed
stripe_processor._received = die_after
payload, signature = sys.stdin.read().split("\\n", 1)
stripe_processor.handle_webhook(payload.encode(), signature.strip())
"""


def _database_url() -> str:
    conf = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(conf['NAME']).resolve()}"
    return f"postgres://{conf['USER']}@{conf['HOST']}:{conf['PORT']}/{conf['NAME']}"


@pytest.mark.promise("PAY-1")
@pytest.mark.django_db(transaction=True)
def test_kill_9_between_receipt_and_commit_loses_nothing_and_pays_once(
    client: Any, client_user: Any, stripe_api: str
) -> None:
    due = _due(client_user)
    session = stripe_processor.StripeProcessor().checkout(due, success_url="x", cancel_url="x")
    event = _completed(session.rsplit("/", 1)[-1])
    payload, signature = _signed(event)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "confide.settings",
        "DATABASE_URL": _database_url(),
        "STRIPE_WEBHOOK_SECRET": SECRET,
    }
    killed = subprocess.run(
        [sys.executable, "-c", _KILLED_MID_WEBHOOK],
        input=payload.decode() + "\n" + signature,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert killed.returncode == -9, killed.stderr[-2000:]
    assert not ProcessorEvent.objects.exists()
    assert not Transaction.objects.filter(kind=Kind.PAYMENT_RECEIVED).exists()
    # Stripe sends the event again: it applies, once.
    assert _post(client, event).status_code == 200
    assert _post(client, event).status_code == 200
    assert Transaction.objects.filter(kind=Kind.PAYMENT_RECEIVED, settles=due).count() == 1


@pytest.mark.promise("PAY-4")
@pytest.mark.django_db
def test_a_card_payment_gets_its_invoice_and_the_page_offers_the_card(
    client: Any, client_user: Any, stripe_api: str, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core import mail

    from confide.billing.models import Invoice

    due = _due(client_user)
    client.force_login(client_user)
    page = client.get(reverse("billing:home")).content.decode()
    assert reverse("billing_stripe:pay", args=[due.pk]) in page and "Pay by card" in page
    session = stripe_processor.StripeProcessor().checkout(due, success_url="x", cancel_url="x")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, _completed(session.rsplit("/", 1)[-1]))
    invoice = Invoice.objects.get(client=client_user)
    assert invoice.total_minor == due.amount_minor
    assert [m.to for m in mail.outbox] == [[client_user.email]]


@pytest.mark.promise("SHARE-1")
@pytest.mark.django_db
def test_stripe_is_a_declared_recipient_only_when_switched_on(settings: Any) -> None:
    from confide.privacy.recipients import declared_recipients

    settings.STRIPE_SECRET_KEY = None
    assert not [r for r in declared_recipients() if r.kind == "payments"]
    settings.STRIPE_SECRET_KEY = "sk_test_confide"
    payments = {(r.side, h) for r in declared_recipients() if r.kind == "payments" for h in r.hosts}
    assert payments == {("server", "api.stripe.com"), ("browser", "checkout.stripe.com")}
