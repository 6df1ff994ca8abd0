"""Lockout cannot be used as a weapon (ACC-4, issue 13.6): wrong passwords from an attacker's
address throttle that address, never the owner; an account-wide ceiling stops passwords only,
so the emailed code still lets the owner in; the owner is told, once, in their language."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from confide.accounts import throttle
from tests.accounts.helpers import last_code, password_then_code
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.9"
OWNER = "198.51.100.20"


def _login(email: str, password: str, ip: str) -> Any:
    data = {"login": email, "password": password}
    return Client().post(reverse("account_login"), data, REMOTE_ADDR=ip)


def _attack(email: str, attempts: int, ip: str = ATTACKER) -> None:
    for _ in range(attempts):
        _login(email, "not-the-password-1", ip)


@pytest.mark.promise("ACC-4")
def test_the_owner_still_signs_in_while_an_attacker_is_throttled() -> None:
    owner = make_user("client")
    _attack(owner.email, 5)
    # The attacker's address is throttled, even with the right password…
    refused = _login(owner.email, PASSWORD, ATTACKER)
    assert refused.status_code == 200 and "Too many failed" in refused.content.decode()
    # …while the owner, from their own address, signs in as usual.
    response = password_then_code(Client(), owner.email, REMOTE_ADDR=OWNER)
    assert response.status_code == 302 and response["Location"] == reverse("core:dashboard")


@pytest.mark.promise("ACC-4")
def test_past_the_account_ceiling_passwords_stop_but_the_emailed_code_lets_the_owner_in() -> None:
    owner = make_user("client")
    for address in range(throttle.CEILING // 5):  # many addresses, five tries each
        _attack(owner.email, 5, ip=f"203.0.113.{address + 10}")
    # A fresh address gets no more password tries on this account, right or wrong…
    paused = _login(owner.email, PASSWORD, "192.0.2.77")
    assert paused.status_code == 200 and "Password sign-in for this account is paused" in (
        paused.content.decode()
    )
    # …but the owner signs in with a code sent to their address.
    browser = Client()
    browser.post(reverse("account_request_login_code"), {"email": owner.email}, REMOTE_ADDR=OWNER)
    response = browser.post(
        reverse("account_confirm_login_code"), {"code": last_code(owner.email)}, REMOTE_ADDR=OWNER
    )
    if response.get("Location") == reverse("mfa_trust"):
        response = browser.post(reverse("mfa_trust"), {"action": "skip"}, REMOTE_ADDR=OWNER)
    assert response["Location"] == reverse("core:dashboard")
    assert browser.get(reverse("core:dashboard")).wsgi_request.user == owner


def test_the_ceiling_reveals_no_accounts() -> None:
    known = make_user("client")
    for email in (known.email, "nobody@example.test"):
        for address in range(throttle.CEILING // 5):
            _attack(email, 5, ip=f"203.0.113.{address + 10}")
    answers = {
        _login(email, "not-the-password-1", "192.0.2.78").content.decode().count("is paused")
        for email in (known.email, "nobody@example.test")
    }
    assert answers == {1}


@pytest.mark.promise("ACC-4")
def test_the_owner_is_told_once_in_their_language() -> None:
    owner = make_user("client", language="es")
    _attack(owner.email, 5)
    _attack(owner.email, 5, ip="203.0.113.10")
    notices = [m for m in mail.outbox if owner.email in m.to]
    assert len(notices) == 1
    assert notices[0].subject == "Confide: intentos fallidos de iniciar sesión en tu cuenta"
    assert "nunca te pedirá tu contraseña" in str(notices[0].body)


def test_a_single_mistyped_password_sends_no_notice() -> None:
    owner = make_user("client")
    _attack(owner.email, 1)
    assert password_then_code(Client(), owner.email, REMOTE_ADDR=ATTACKER)["Location"] == reverse(
        "core:dashboard"
    )
    assert not [m for m in mail.outbox if "failed attempts" in m.subject]
