"""django-allauth adapters: only what allauth lacks (roles, levels, age rule, blocking)."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from confide.accounts import services


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            services.complete_signup(user, form.cleaned_data, request)
        return user

    def pre_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse | None:
        """Blocked accounts cannot sign in (ACC-6). Only reached once the password or code was
        right, so telling the person does not reveal anything to a stranger."""
        if getattr(user, "is_blocked", False):
            from allauth.account.internal.stagekit import clear_login

            clear_login(request)
            return render(request, "accounts/blocked.html", status=403)
        return super().pre_login(request, user, **kwargs)

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
