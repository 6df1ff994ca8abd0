"""The libraries' records about a person — allauth's addresses, sign-in sessions with IP and
browser, social accounts and authenticators, Django's sessions — and the outbox files are
exported, erased and swept like ours (RIGHTS-1, RIGHTS-3, KEEP-1). Checked against the stored
bytes: the zip's data.json, raw SQL over every column of the real schema, the outbox folder."""

from __future__ import annotations

import email
import io
import json
import uuid
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from confide.core.sms import send_sms
from confide.privacy import retention
from confide.privacy.export import build_archive
from confide.privacy.services import erase_account
from tests.factories import make_user

pytestmark = pytest.mark.django_db

CANARY_IP = "203.0.113.77"  # TEST-NET-3: nobody's real address


def _tables_holding(needle: str) -> set[str]:
    """Every table of the real schema with a column value containing ``needle``."""
    found = set()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from introspection
            for row in cursor.fetchall():
                for value in row:
                    raw = value if isinstance(value, (bytes, memoryview)) else None
                    text = bytes(raw).decode("latin-1") if raw is not None else str(value)
                    if needle.lower() in text.lower():
                        found.add(table)
    return found


def _outbox_files_holding(folder: Path, needle: str) -> list[Path]:
    if not folder.exists():
        return []
    wanted = needle.lower()
    return [p for p in folder.iterdir() if wanted in p.read_bytes().decode("latin-1").lower()]


@pytest.fixture
def outbox(settings: Any) -> Path:
    settings.EMAIL_BACKEND = "confide.core.mail.OutboxBackend"
    return Path(settings.OUTBOX_DIR)


@pytest.fixture
def person(client: Any, outbox: Path) -> dict[str, Any]:
    """A client who signed in from the canary address, linked Google, enrolled TOTP and got mail."""
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount, SocialToken

    tag = uuid.uuid4().hex[:10]
    email = f"canary-{tag}@example.test"
    agent = f"CanaryBrowser/{tag}"
    phone = "+46700" + tag[:6].translate(str.maketrans("abcdef", "123456"))
    user = make_user("client", email=email, phone=phone)
    client.force_login(user)
    assert client.get("/privacy/", REMOTE_ADDR=CANARY_IP, HTTP_USER_AGENT=agent).status_code == 200
    account = SocialAccount.objects.create(
        user=user, provider="google", uid=f"g-{tag}", extra_data={"email": email, "name": tag}
    )
    SocialToken.objects.create(account=account, token=f"tok-{tag}", token_secret="")
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": tag})
    mail.send_mail("Your code", f"Hello {email}, your code is 123456.", None, [email])
    send_sms(phone, "Your code is 654321")
    return {"user": user, "email": email, "agent": agent, "phone": phone, "tag": tag}


def _export(user: Any) -> dict[str, Any]:
    archive, _ = build_archive(user.pk, "en")
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        return dict(json.loads(zf.read("data.json")))


@pytest.mark.promise("RIGHTS-1")
def test_the_libraries_records_and_the_outbox_are_in_the_export(person: dict[str, Any]) -> None:
    data = _export(person["user"])
    records = data["records"]
    sessions = records["usersessions.UserSession"]["rows"]
    assert [(s["ip"], s["user_agent"]) for s in sessions] == [(CANARY_IP, person["agent"])]
    assert sessions[0]["session_key"] == {"stored": True}  # a credential: never handed out
    assert [a["email"] for a in records["account.EmailAddress"]["rows"]] == [person["email"]]
    (social,) = records["socialaccount.SocialAccount"]["rows"]
    assert social["extra_data"]["email"] == person["email"]
    assert records["socialaccount.SocialToken"]["rows"][0]["token"] == {"stored": True}
    assert {r["data"]["stored"] for r in records["mfa.Authenticator"]["rows"]} == {True}
    outbox = records["files.outbox"]["rows"]
    assert {r["recipient"] for r in outbox} == {person["email"], person["phone"]}
    assert any("123456" in r["message"] for r in outbox)
    assert records["usersessions.UserSession"]["fields"]["ip"]["label"] == "IP address"


@pytest.mark.promise("RIGHTS-1")
def test_library_labels_are_in_the_reader_s_language(person: dict[str, Any]) -> None:
    archive, _ = build_archive(person["user"].pk, "sq")
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        data = json.loads(zf.read("data.json"))
        report = zf.read("report.html").decode()
    block = data["records"]["usersessions.UserSession"]
    assert block["fields"]["ip"]["label"] != "IP address"
    assert block["title"] != "user sessions" and block["title"] in report


@pytest.mark.promise("RIGHTS-3")
@pytest.mark.promise("RIGHTS-1")
def test_after_erasure_no_table_holds_the_address_the_ip_or_the_browser(
    person: dict[str, Any], outbox: Path, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    needles = [person["email"], CANARY_IP, person["agent"], person["tag"], person["phone"]]
    before = {needle: _tables_holding(needle) for needle in needles}
    assert {"account_emailaddress", "accounts_user", "socialaccount_socialaccount"} <= before[
        person["email"]
    ]
    assert "usersessions_usersession" in before[CANARY_IP]
    assert _outbox_files_holding(outbox, person["email"])

    with django_capture_on_commit_callbacks(execute=True):
        erase_account(person["user"])

    # Nothing is declared as kept under legal hold for this person (no clinical record): every
    # table of the real schema, libraries' included, must have forgotten them.
    leftovers = {needle: _tables_holding(needle) for needle in needles}
    assert leftovers == {needle: set() for needle in needles}
    assert client.get("/privacy/").status_code == 302  # the browser session ended too
    # Only the erasure receipt, written after the erasure, still names the address …
    remaining = _outbox_files_holding(outbox, person["email"])
    assert len(remaining) == 1 and not _outbox_files_holding(outbox, person["phone"])
    receipt = email.message_from_bytes(remaining[0].read_bytes())
    assert receipt["To"] == person["email"]
    # … until the outbox retention has passed.
    later = timezone.now() + timedelta(days=7, minutes=1)
    counts = retention.sweep(now=later)
    assert counts["files.outbox"] >= 1
    assert _outbox_files_holding(outbox, person["email"]) == []


@pytest.mark.promise("KEEP-1")
def test_sign_in_sessions_and_expired_browser_sessions_are_swept(person: dict[str, Any]) -> None:
    from allauth.usersessions.models import UserSession
    from django.contrib.sessions.models import Session

    user = person["user"]
    assert UserSession.objects.filter(user=user).exists()
    soon = timezone.now() + timedelta(hours=1)
    retention.sweep(now=soon)
    assert UserSession.objects.filter(user=user).exists()  # still within the sign-in's lifetime
    later = timezone.now() + timedelta(hours=12, minutes=1)
    counts = retention.sweep(now=later)
    assert counts["usersessions.usersession"] == 1
    assert not UserSession.objects.filter(user=user).exists()
    Session.objects.create(
        session_key="x" * 32, session_data="{}", expire_date=timezone.now() - timedelta(seconds=1)
    )
    retention.sweep()
    assert not Session.objects.filter(session_key="x" * 32).exists()


@pytest.mark.promise("KEEP-1")
def test_outbox_files_are_swept_after_their_retention(outbox: Path) -> None:
    mail.send_mail("Hello", "A reminder.", None, ["someone@example.test"])
    send_sms("+46700000001", "A reminder")
    assert len(list(outbox.iterdir())) == 2
    retention.sweep(now=timezone.now() + timedelta(days=6))
    assert len(list(outbox.iterdir())) == 2
    counts = retention.sweep(now=timezone.now() + timedelta(days=7, minutes=1))
    assert counts["files.outbox"] == 2 and list(outbox.iterdir()) == []


def test_erasure_by_category_keeps_what_signing_in_needs(person: dict[str, Any]) -> None:
    """Erasing "contact details" alone must not delete the address the person signs in with."""
    from allauth.account.models import EmailAddress

    from confide.privacy.services import erase_categories

    erase_categories(person["user"], {"contact", "network"})
    assert EmailAddress.objects.filter(user=person["user"], email=person["email"]).exists()
