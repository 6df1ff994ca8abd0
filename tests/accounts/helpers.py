"""Helpers for account tests: read the last emailed code, sign in through every stage."""

from __future__ import annotations

import re
import time
from typing import Any

from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD

CODE = re.compile(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4}|[A-Z0-9]{6,8})\s*$", re.M)


def last_code(to: str | None = None) -> str:
    """The code in the newest email (to ``to`` when given)."""
    for message in reversed(mail.outbox):
        if to is None or to in message.to:
            match = CODE.search(str(message.body))
            if match:
                return match.group(1)
    raise AssertionError("no email with a code")


def password_then_code(
    client: Any, email: str, password: str = PASSWORD, *, trust: bool = False, **extra: Any
) -> Any:
    """Sign in at level 1: password, the emailed code, then answer "trust this browser?".
    Returns the final response."""
    client.post(reverse("account_login"), {"login": email, "password": password}, **extra)
    response = client.post(
        reverse("account_confirm_login_code"), {"code": last_code(email)}, **extra
    )
    if response.get("Location") == reverse("mfa_trust"):
        action = "trust" if trust else "skip"
        response = client.post(reverse("mfa_trust"), {"action": action}, **extra)
    return response


def signup_data(email: str = "new.person@example.test", **overrides: Any) -> dict[str, Any]:
    data = {
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "date_of_birth": "1990-05-05",
        "accept_terms": "on",
        "nickname": "Nova",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def record_passkey_step(session: Any, user: Any) -> None:
    """Write into ``session`` the step allauth records after a passkey check (ACC-5), with the
    user's first WebAuthn key; save the session afterwards."""
    from allauth.account.internal.flows import login as login_flows
    from allauth.account.internal.userkit import user_id_to_str
    from allauth.mfa.models import Authenticator

    key = Authenticator.objects.filter(user=user, type=Authenticator.Type.WEBAUTHN).first()
    if key is None:
        return
    records_key = login_flows.AUTHENTICATION_METHODS_SESSION_KEY
    records = list(session.get(records_key, []))
    records.append({"method": "mfa", "at": time.time(), "id": key.pk, "type": "webauthn"})
    session[records_key] = records
    session[login_flows._AUTHENTICATION_METHODS_USER_SESSION_KEY] = user_id_to_str(user)
