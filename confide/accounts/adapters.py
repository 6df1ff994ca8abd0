"""django-allauth adapters: only what allauth lacks (roles, levels, age rule, blocking)."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from confide.accounts import services, throttle
from confide.accounts.models import User
from confide.core import network
from confide.core.sms import send_sms

PASSWORD_PAUSED = gettext_lazy(
    "Password sign-in for this account is paused for a while after many failed attempts. "
    "You can still sign in with a code sent by email or with a passkey."
)


def user_display(user: Any) -> str:
    """How allauth names a person in its messages ("Signed in as …"): the name others see,
    never the client number (``str(user)``)."""
    return str(user.display_name)


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            services.complete_signup(user, form.cleaned_data, request)
        return user

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Every allauth email (sign-in code, verification, notices) in the recipient's saved
        language: the browser signing in may be someone else's, or set to English. Without an
        account for the address, the page's language."""
        user = context.get("user") or User.objects.filter(email__iexact=email).first()
        language = getattr(user, "language", "") or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)

    def pre_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse | None:
        """Blocked accounts cannot sign in (ACC-6). Only reached once the password or code was
        right, so telling the person does not reveal anything to a stranger."""
        if getattr(user, "is_blocked", False):
            from allauth.account.internal.stagekit import clear_login

            clear_login(request)
            return render(request, "accounts/blocked.html", status=403)
        return super().pre_login(request, user, **kwargs)

    # --- Password throttling per account and address (ACC-4; see throttle.py) -------------------
    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """allauth's ``login_failed`` ``/key`` limit counts per account *and* address, so wrong
        passwords from an attacker's address never lock the owner's address out."""
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}:{self.get_client_ip(request)}"

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        super().pre_authenticate(request, **credentials)
        if throttle.password_sign_in_paused(_login_of(credentials)):
            raise ValidationError(PASSWORD_PAUSED, code="password_sign_in_paused")

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        throttle.record_failed_password(_login_of(credentials))

    def get_client_ip(self, request: HttpRequest) -> str:
        """Rate limits and allauth's session list see the same address as our sign-in records:
        X-Forwarded-For only from a trusted proxy (confide.core.network)."""
        ip = network.client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def is_login_by_code_required(self, login: Any) -> bool:
        """Security level 1 (ACC-5): after a password, an emailed code — unless the person has
        an authenticator app or passkey, whose own stage is then the second factor. The trust
        stage lets a browser skip it for 30 days ("new device" only)."""
        if login.user is None or login.signup:
            # At sign-up, verifying the address by emailed code is the first factor check.
            return False
        if Authenticator.objects.filter(
            user=login.user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        ).exists():
            return False
        return super().is_login_by_code_required(login)

    def get_login_stages(self) -> list[str]:
        """allauth's stages, with ours where trusted browsers must not apply (ACC-5)."""
        from confide.accounts.stages import REPLACED

        return [REPLACED.get(path, path) for path in super().get_login_stages()]

    # --- Optional phone number, verified by a code sent through the SMS backend (ACC-1) ---------
    def set_phone(self, user: Any, phone: str, verified: bool) -> None:
        user.phone = phone
        user.phone_verified_at = timezone.now() if verified else None
        user.save(update_fields=["phone", "phone_verified_at"])

    def get_phone(self, user: Any) -> tuple[str, bool] | None:
        if not getattr(user, "phone", ""):
            return None
        return user.phone, user.phone_verified_at is not None

    def set_phone_verified(self, user: Any, phone: str) -> None:
        if user.phone == phone:
            user.phone_verified_at = timezone.now()
            user.save(update_fields=["phone_verified_at"])

    def get_user_by_phone(self, phone: str) -> Any:
        return User.objects.filter(phone=phone).order_by("pk").first()

    def send_verification_code_sms(self, user: Any, phone: str, code: str, **kwargs: Any) -> None:
        language = getattr(user, "language", "") or None
        with translation.override(language or translation.get_language()):
            text = _(
                "Your Confide code is %(code)s. We will never call or write to ask you for it."
            ) % {"code": code}
        send_sms(phone, str(text))


def _login_of(credentials: dict[str, Any]) -> str:
    return str(credentials.get("email") or credentials.get("username") or "").lower()


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """People whose role requires a passkey cannot remove their last one (ACC-5)."""
        if authenticator.type != Authenticator.Type.WEBAUTHN:
            return True
        if not services.passkey_required(authenticator.user):
            return True
        others = Authenticator.objects.filter(
            user_id=authenticator.user_id, type=Authenticator.Type.WEBAUTHN
        ).exclude(pk=authenticator.pk)
        return others.exists()
