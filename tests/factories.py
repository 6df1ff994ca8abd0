"""Builders for test data, shared by every test module."""

from __future__ import annotations

import itertools
from typing import Any

PASSWORD = "correct-Horse-battery-9"
_counter = itertools.count(1)


def make_user(
    role: str = "client",
    *,
    email: str | None = None,
    passkey: bool = False,
    verified: bool = True,
    password: str = PASSWORD,
    **fields: Any,
) -> Any:
    """A user with a verified primary email; ``passkey=True`` enrols a (stored) WebAuthn key."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from confide.accounts.models import User

    email = email or f"user{next(_counter)}@example.test"
    user = User.objects.create_user(email=email, password=password, role=role, **fields)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    if passkey:
        Authenticator.objects.create(
            user=user,
            type=Authenticator.Type.WEBAUTHN,
            data={"name": "Test key", "credential": {}, "passwordless": True},
        )
    return user
