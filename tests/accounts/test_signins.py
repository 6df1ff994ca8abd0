"""Sign-in records (LOG-2, LOG-3)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from confide.accounts.models import SignInEvent, SignInRecord
from confide.accounts.signins import count_message, session_hash
from tests.accounts.helpers import last_code, password_then_code
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.promise("LOG-3")
def test_a_sign_in_and_sign_out_are_recorded_without_secrets(client: Any) -> None:
    user = make_user("client", email="rec@example.test")
    # Level 1 asks for the emailed code before the sign-in completes.
    password_then_code(
        client, user.email, HTTP_USER_AGENT="TestBrowser/1.0", REMOTE_ADDR="10.1.2.3"
    )
    code = last_code(user.email)
    signed_in = SignInRecord.objects.get(user=user, event=SignInEvent.SIGNED_IN)
    assert signed_in.ip_address == "10.1.2.3"
    assert signed_in.user_agent == "TestBrowser/1.0"
    assert signed_in.method == "code"
    assert signed_in.session_hash == session_hash(client.session.session_key)
    client.post(reverse("account_logout"))
    assert SignInRecord.objects.filter(user=user, event=SignInEvent.SIGNED_OUT).exists()
    stored = " ".join(
        f"{r.method} {r.user_agent} {r.session_hash}" for r in SignInRecord.objects.all()
    )
    assert PASSWORD not in stored and code not in stored


@pytest.mark.promise("LOG-3")
def test_a_failed_attempt_is_recorded_against_the_account(client: Any) -> None:
    user = make_user("client", email="fail@example.test")
    client.post(reverse("account_login"), {"login": user.email, "password": "wrong-password-1"})
    record = SignInRecord.objects.get(event=SignInEvent.FAILED)
    assert record.user == user and record.method == "password"


@pytest.mark.promise("LOG-2")
def test_messages_are_counted_on_the_sign_in_they_happened_in(client: Any) -> None:
    user = make_user("client")
    client.force_login(user)
    key = client.session.session_key
    record = SignInRecord.objects.get(user=user, event=SignInEvent.SIGNED_IN)
    count_message(user.pk, key, sent=True)
    count_message(user.pk, key, sent=True)
    count_message(user.pk, None, sent=False)
    record.refresh_from_db()
    assert (record.messages_sent, record.messages_received) == (2, 1)


def test_counting_for_someone_never_signed_in_is_a_no_op() -> None:
    user = make_user("client")
    count_message(user.pk, "nope", sent=True)
    assert not SignInRecord.objects.filter(messages_sent__gt=0).exists()


@pytest.mark.promise("LOG-3")
def test_the_person_sees_their_own_history_only(client: Any) -> None:
    ana = make_user("client", email="ana.hist@example.test")
    other = make_user("client", email="other.hist@example.test")
    SignInRecord.objects.create(user=other, event=SignInEvent.SIGNED_IN, user_agent="OtherUA/9")
    client.force_login(ana)
    page = client.get(reverse("accounts:history"), HTTP_USER_AGENT="AnaUA/1")
    body = page.content.decode()
    assert page.status_code == 200
    assert "OtherUA/9" not in body
