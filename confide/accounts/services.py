"""Account services: sign-up extras, the age gate, blocking, settings. Views call these."""

from __future__ import annotations

import hashlib
import hmac
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from confide.accounts.age import is_old_enough
from confide.accounts.models import AgeTombstone, SignInEvent, User
from confide.accounts.signins import record_event
from confide.audit import services as audit
from confide.core.mail import send_templated
from confide.core.sockets import end_user_sockets
from confide.core.times import user_zone
from confide.presets import current_preset

#: How long an under-age refusal is remembered (the "tombstone_30_days" retention rule).
TOMBSTONE_RETENTION = timedelta(days=30)


# --- Age gate (ACC-8) -----------------------------------------------------------------------------
def email_fingerprint(email: str) -> str:
    """Keyed hash of a normalised email: recognises a retry without storing the address."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, email.strip().lower().encode(), hashlib.sha256).hexdigest()


def recently_refused(email: str) -> bool:
    cutoff = timezone.now() - TOMBSTONE_RETENTION
    return AgeTombstone.objects.filter(
        email_hash=email_fingerprint(email), created_at__gte=cutoff
    ).exists()


def check_age(born: date, today: date | None = None) -> bool:
    return is_old_enough(born, today or timezone.localdate(), current_preset().minimum_age)


def refuse_under_age(email: str) -> None:
    """Remember only a hashed email, briefly. Nothing else about the person is stored."""
    if email and not recently_refused(email):
        AgeTombstone.objects.create(email_hash=email_fingerprint(email))


def purge_tombstones() -> int:
    cutoff = timezone.now() - TOMBSTONE_RETENTION
    deleted, _ = AgeTombstone.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def erase_minor_account(actor: User, user: User, *, reason: str) -> None:
    """Staff found that an account belongs to someone under the preset's minimum age: erase it
    at once (the privacy kernel's account erasure: legal holds kept, sessions ended), keep only
    the hashed-email tombstone an under-age sign-up leaves, audit the act with the reason, and
    tell the person kindly in their language (without the reason)."""
    from confide.privacy import erasure

    reason = reason.strip()
    if not reason:
        raise ValueError("a reason is required")
    if not user.is_client or not user.is_active:
        raise ValueError("only a client account can be recorded as a minor's")
    email, language = user.email, user.language or None
    with transaction.atomic():
        refuse_under_age(email)
        erasure.erase_account(user)
        audit.record("account.minor_erased", actor=actor, subject_id=user.pk, reason=reason)
    context = {"age": current_preset().minimum_age}
    send_templated("accounts/email/minor_erased", email, context, language=language)


# --- Sign-up extras -------------------------------------------------------------------------------
def complete_signup(user: User, data: dict[str, Any], request: HttpRequest | None) -> None:
    """Called inside allauth's sign-up save: profile fields, then the policy acceptance record
    (CONSENT-5) and the separate, unticked marketing opt-in."""
    user.nickname = data.get("nickname", "") or ""
    user.first_name = data.get("first_name", "") or ""
    user.last_name = data.get("last_name", "") or ""
    user.date_of_birth = data.get("date_of_birth")
    preset = current_preset()
    language = getattr(request, "LANGUAGE_CODE", "") if request is not None else ""
    user.language = language or preset.default_language
    user.timezone = preset.default_timezone
    user.save()
    _record_consents(user, marketing=bool(data.get("marketing")))


def spend_like_a_new_account(request: HttpRequest, data: dict[str, Any]) -> None:
    """A sign-up with a taken address creates nothing (allauth only emails the owner), so on
    its own it answers several times faster than a new account and the timing tells who has
    an account (issue 13.4). It does the new account's expensive part anyway: hash the password,
    and throw the hash away."""
    make_password(data.get("password1") or "")


def _record_consents(user: User, *, marketing: bool) -> None:
    from confide.privacy.consent import services as consent

    consent.record_acceptance(user, method="signup")
    if marketing:
        consent.grant_marketing(user, source="signup")


# --- Settings -----------------------------------------------------------------------------------
@transaction.atomic
def update_preferences(user: User, *, language: str, timezone_name: str, **names: str) -> None:
    user.language = language
    user.timezone = timezone_name
    fields = ["language", "timezone"]
    for name, value in names.items():
        setattr(user, name, value)
        fields.append(name)
    user.save(update_fields=fields)
    audit.record("account.preferences_changed", actor=user, subject_id=user.pk)


def is_offered_language(language: str) -> bool:
    """Only the languages the site offers: anything else would be saved and then ignored."""
    return language in {code for code, _name in settings.LANGUAGES}


def save_language(user: User, language: str) -> bool:
    """Store the language chosen in the header switcher; False (nothing stored) for a language
    the site does not offer. The saved preference is what every later page and email uses."""
    if not is_offered_language(language):
        return False
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
        audit.record("account.preferences_changed", actor=user, subject_id=user.pk)
    return True


def security_level(user: Any) -> int:
    """3 with a passkey, 2 with an authenticator app, otherwise 1 (emailed code) (ACC-5)."""
    from allauth.mfa.models import Authenticator

    types = set(Authenticator.objects.filter(user=user).values_list("type", flat=True))
    if Authenticator.Type.WEBAUTHN in types:
        return 3
    if Authenticator.Type.TOTP in types:
        return 2
    return 1


def passkey_required(user: Any) -> bool:
    return getattr(user, "role", None) in current_preset().passkey_required_roles


# --- Blocking (ACC-6) ----------------------------------------------------------------------------
def block_user(actor: User, user: User, *, reason: str) -> None:
    """Block an account: it cannot sign in, every session ends, the person is told by email,
    and the act is audited with the reason."""
    from allauth.usersessions.models import UserSession

    reason = reason.strip()
    if not reason:
        raise ValueError("a reason is required")
    with transaction.atomic():
        user.blocked_at = timezone.now()
        user.blocked_reason = reason[:300]
        user.save(update_fields=["blocked_at", "blocked_reason"])
        audit.record("account.blocked", actor=actor, subject_id=user.pk, reason=reason)
        record_event(SignInEvent.BLOCKED, user=user)
    for session in UserSession.objects.filter(user=user):
        session.end()
    end_user_sockets(user.pk)  # also the sockets of a sign-in the session list did not know
    send_templated(
        "accounts/email/blocked",
        user.email,
        {"user": user, "reason": reason},
        language=user.language or None,
        zone=user_zone(user),
    )


def unblock_user(actor: User, user: User) -> None:
    with transaction.atomic():
        user.blocked_at = None
        user.blocked_reason = ""
        user.save(update_fields=["blocked_at", "blocked_reason"])
        audit.record("account.unblocked", actor=actor, subject_id=user.pk)
