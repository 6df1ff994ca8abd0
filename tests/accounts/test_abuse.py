"""Abuse resistance (ACC-4): temporary lockout, no enumeration, sessions that expire."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from confide.core.sockets import SESSION_SEEN, SESSION_STARTED
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

# Per-request values (CSRF token, CSP nonce) and the echoed address are the only differences.
_TOKEN = re.compile(r'value="[A-Za-z0-9]{32,}"|nonce="[^"]+"|"X-CSRFToken": "[^"]+"')


def _normalised(response: Any, email: str) -> tuple[int, str]:
    body = _TOKEN.sub("", response.content.decode()).replace(email, "EMAIL")
    return response.status_code, body


def _login(client: Any, email: str, password: str) -> Any:
    return client.post(reverse("account_login"), {"login": email, "password": password})


@pytest.mark.promise("ACC-4")
def test_five_wrong_passwords_lock_the_account_for_a_while_only() -> None:
    user = make_user("client")
    # Attacker and victim share an address here (the test client's): the throttle is per
    # account and address, so a victim elsewhere is not affected (test_lockout.py).
    attacker = Client()
    for _ in range(5):
        _login(attacker, user.email, "not-the-password-1")
    victim = Client()
    locked = _login(victim, user.email, PASSWORD)
    assert locked.status_code == 200 and "Too many failed" in locked.content.decode()
    # The lock is a rate-limit window, not a permanent state: once it passes, sign-in works.
    cache.clear()
    assert _login(victim, user.email, PASSWORD)["Location"] == reverse("account_confirm_login_code")


@pytest.mark.promise("ACC-4")
def test_sign_in_answers_the_same_for_known_and_unknown_emails() -> None:
    make_user("client", email="known@example.test")
    known = _login(Client(), "known@example.test", "wrong-password-123")
    unknown = _login(Client(), "nobody@example.test", "wrong-password-123")
    assert _normalised(known, "known@example.test") == _normalised(unknown, "nobody@example.test")


@pytest.mark.promise("ACC-4")
def test_password_reset_answers_the_same_for_known_and_unknown_emails() -> None:
    make_user("client", email="known@example.test")
    url = reverse("account_reset_password")
    known = Client().post(url, {"email": "known@example.test"})
    unknown = Client().post(url, {"email": "nobody@example.test"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])


@pytest.mark.promise("ACC-4")
def test_an_idle_session_expires(client: Any, settings: Any) -> None:
    user = make_user("client")
    client.force_login(user)
    assert client.get(reverse("core:dashboard")).status_code == 200
    session = client.session
    session[SESSION_SEEN] = time.time() - 31 * 60  # eu_es idle timeout is 30 minutes
    session.save()
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302
    assert not client.get(reverse("core:dashboard")).wsgi_request.user.is_authenticated


@pytest.mark.promise("ACC-4")
def test_a_busy_session_still_ends_at_its_absolute_lifetime(client: Any) -> None:
    client.force_login(make_user("client"))
    client.get(reverse("core:dashboard"))
    session = client.session
    session[SESSION_STARTED] = time.time() - 13 * 3600
    session.save()
    assert client.get(reverse("core:dashboard")).status_code == 302


@pytest.mark.promise("ACC-4")
def test_sign_out_of_all_devices_ends_other_sessions() -> None:
    user = make_user("client")
    laptop, phone = Client(), Client()
    laptop.force_login(user)
    phone.force_login(user)
    laptop.get(reverse("core:dashboard"))
    phone.get(reverse("core:dashboard"))
    page = laptop.get(reverse("usersessions_list"))
    assert page.status_code == 200
    laptop.post(reverse("usersessions_list"), {"action": "logout"})
    assert not phone.get(reverse("core:dashboard")).wsgi_request.user.is_authenticated
    assert laptop.get(reverse("core:dashboard")).wsgi_request.user.is_authenticated


@pytest.mark.promise("ACC-4")
@pytest.mark.promise("ACC-7")
def test_password_reset_by_emailed_link(client: Any) -> None:
    from django.core import mail

    user = make_user("client", email="forgot@example.test")
    client.post(reverse("account_reset_password"), {"email": "forgot@example.test"})
    body = str(mail.outbox[-1].body)
    assert "never ask for your password" in body
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", body)
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    new_password = "another-Horse-battery-7"
    client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1),
        {"password1": new_password, "password2": new_password},
    )
    user.refresh_from_db()
    assert user.check_password(new_password)
