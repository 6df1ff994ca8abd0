"""Level 3 for the roles that need it (ACC-5): a passkey *enrolled* is not enough, *this*
sign-in must have used it.

allauth writes every authentication step of a session to the session itself (password, emailed
code, ``mfa`` with the authenticator's type and id, re-authentications); we read those records
instead of keeping a copy. A session proves a passkey when one of its steps is a WebAuthn
authenticator that still belongs to the person: a key removed since (lost, reset by staff)
no longer vouches for the sessions it opened.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.contrib.sessions.backends.base import SessionBase

from confide.accounts import services
from confide.privacy.access import has_passkey


def passkey_ids_used(session: SessionBase, user: Any) -> set[int]:
    """Ids of the WebAuthn authenticators this session's steps used, for this user only
    (allauth drops records written for someone else)."""
    # allauth reads the records from ``request.session``; a websocket has a session, no request.
    records = get_authentication_records(SimpleNamespace(session=session), user)
    return {
        int(record["id"])
        for record in records
        if record.get("method") == "mfa"
        and record.get("type") == Authenticator.Type.WEBAUTHN
        and str(record.get("id", "")).isdigit()
    }


def signed_in_with_passkey(session: SessionBase, user: Any) -> bool:
    ids = passkey_ids_used(session, user)
    if not ids:
        return False
    return Authenticator.objects.filter(
        user_id=user.pk, type=Authenticator.Type.WEBAUTHN, pk__in=ids
    ).exists()


def confirmation_required(session: SessionBase | None, user: Any) -> bool:
    """True when ``user`` must confirm with a passkey before seeing anything (ACC-5): their
    role requires one, they have one, and this session has not used it. TOTP, recovery codes,
    emailed codes and trusted browsers never count for these roles."""
    if user is None or not user.is_authenticated or not services.passkey_required(user):
        return False
    if not has_passkey(user):
        return False  # the enrolment gate handles people without a passkey
    return session is None or not signed_in_with_passkey(session, user)
