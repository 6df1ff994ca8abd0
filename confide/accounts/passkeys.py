"""Level 3 for the roles that need it (ACC-5): a passkey *enrolled* is not enough, *this*
sign-in must have used it.

allauth writes every authentication step of a session to the session itself (password, emailed
code, ``mfa`` with the authenticator's type and id, re-authentications); we read those records
instead of keeping a copy. A session proves a passkey when one of its steps is a WebAuthn
authenticator that still belongs to the person: a key removed since (lost, reset by staff)
no longer vouches for the sessions it opened.

Someone who lost their passkey cannot pass that check, nor enrol another (enrolment needs a
session that used a passkey); staff verify them and reset their passkeys, which sends them
through enrolment again at their next sign-in.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from confide.accounts import services
from confide.accounts.models import SignInEvent
from confide.accounts.signins import record_event
from confide.audit import services as audit
from confide.core.mail import send_templated
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


# --- Lost passkey: reset by staff after verifying the person ------------------------------------
class VerifiedBy(TextChoices):
    """How staff confirmed who asked; stored as a short code in the audit record."""

    VIDEO_CALL = "video_call", _("A video call in which I recognised the person")
    IN_PERSON = "in_person", _("In person, with an identity document")
    CALL_BACK = "call_back", _("A call back to the phone number the organization has on file")


def may_reset_passkeys(actor: Any, user: Any) -> bool:
    """Staff reset clinicians' passkeys; only admins reset staff and admins; nobody their own."""
    if actor is None or actor.is_blocked or actor.pk == user.pk:
        return False
    if not services.passkey_required(user):
        return False
    if user.role in {"staff", "admin"}:
        return bool(actor.role == "admin")
    return actor.role in {"staff", "admin"}


def reset_passkeys_after_verification(
    actor: Any, user: Any, *, verified_by: str, reason: str
) -> int:
    """Remove every passkey of ``user`` (the lost one can no longer sign in) and end all their
    sessions, so that their next sign-in (password and emailed code) leads to enrolment of a new
    passkey. Audited with the verification method and reason; the person is told by email.
    Returns the number of passkeys removed."""
    from allauth.mfa.base.internal.flows import delete_dangling_recovery_codes
    from allauth.usersessions.models import UserSession

    reason = reason.strip()
    if not may_reset_passkeys(actor, user):
        raise PermissionDenied
    if verified_by not in VerifiedBy.values or len(reason) < 10:
        raise ValueError("a verification method and a reason of 10 characters are required")
    with transaction.atomic():
        removed, _kinds = Authenticator.objects.filter(
            user_id=user.pk, type=Authenticator.Type.WEBAUTHN
        ).delete()
        delete_dangling_recovery_codes(user)
        audit.record(
            "account.passkeys_reset",
            actor=actor,
            subject_id=user.pk,
            reason=reason[:300],
            details={"verified_by": verified_by, "removed": removed},
        )
        record_event(SignInEvent.FACTOR_REMOVED, user=user, method="webauthn")
    # A session opened on the lost device must not be the one that enrols the next passkey.
    for session in UserSession.objects.filter(user=user):
        session.end()
    send_templated(
        "accounts/email/passkeys_reset", user.email, {"user": user}, language=user.language or None
    )
    return removed
