"""Signal receivers that write sign-in records and audit events (LOG-2, LOG-3, ACC-5)."""

from __future__ import annotations

from typing import Any

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver

from confide.accounts.models import SignInEvent, User
from confide.accounts.signins import record_event
from confide.audit import services as audit


def _login_method(request: Any) -> str:
    """The last step allauth recorded for this sign-in (password, code, mfa/passkey…)."""
    session = getattr(request, "session", None)
    records = session.get("account_authentication_methods", []) if session is not None else []
    if not records:
        return "session"
    last = records[-1]
    method = str(last.get("method", ""))
    kind = str(last.get("type", ""))
    if method == "mfa" and kind:
        return "webauthn" if kind == "webauthn" else kind
    return method


@receiver(auth_signals.user_logged_in)
def on_logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record_event(SignInEvent.SIGNED_IN, user=user, request=request, method=_login_method(request))


@receiver(auth_signals.user_logged_out)
def on_logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record_event(SignInEvent.SIGNED_OUT, user=user, request=request)


@receiver(auth_signals.user_login_failed)
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any
) -> None:
    # Only the account is looked up; the attempted password never leaves Django's sanitiser.
    email = str(credentials.get("email") or credentials.get("username") or "").lower()
    user = User.objects.filter(email=email).first() if email else None
    record_event(SignInEvent.FAILED, user=user, request=request, method="password")


@receiver(mfa_signals.authentication_failed)
def on_mfa_failed(
    sender: Any, request: Any, user: Any, authenticator: Any = None, **kw: Any
) -> None:
    method = getattr(authenticator, "type", "") or "mfa"
    record_event(SignInEvent.FAILED, user=user, request=request, method=method)


@receiver(account_signals.login_code_rejected)
def on_code_rejected(sender: Any, request: Any, user: Any = None, **kwargs: Any) -> None:
    record_event(SignInEvent.FAILED, user=user, request=request, method="code")


def _factor_change(event: SignInEvent, action: str) -> Any:
    def handler(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
        kind = str(authenticator.type)
        record_event(event, user=user, request=request, method=kind)
        audit.record(action, actor=user, subject_id=user.pk, details={"type": kind})

    return handler


on_factor_added = _factor_change(SignInEvent.FACTOR_ADDED, "account.factor_added")
on_factor_removed = _factor_change(SignInEvent.FACTOR_REMOVED, "account.factor_removed")
on_factor_reset = _factor_change(SignInEvent.FACTOR_RESET, "account.factor_reset")
mfa_signals.authenticator_added.connect(on_factor_added, dispatch_uid="confide_factor_added")
mfa_signals.authenticator_removed.connect(on_factor_removed, dispatch_uid="confide_factor_removed")
mfa_signals.authenticator_reset.connect(on_factor_reset, dispatch_uid="confide_factor_reset")


@receiver(account_signals.password_changed)
@receiver(account_signals.password_reset)
def on_password_changed(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record_event(SignInEvent.PASSWORD_CHANGED, user=user, request=request, method="password")
    audit.record("account.password_changed", actor=user, subject_id=user.pk)
