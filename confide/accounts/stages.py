"""allauth's sign-in stages without "trust this browser" for the roles that must sign in with a
passkey (ACC-5). For everyone else they behave exactly as allauth's.

A trusted browser skips the second factor for 30 days; for a counselor that would turn a
password alone into access to client data, so for those roles trust is neither offered nor
honoured (cookies issued before still exist, they are just ignored)."""

from __future__ import annotations

from typing import Any

from allauth.account import stages as account_stages
from allauth.mfa import stages as mfa_stages
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from allauth.mfa.webauthn.internal.flows import did_use_passwordless_login
from django.http import HttpRequest

from confide.accounts import services

#: allauth's stage path -> ours (AccountAdapter.get_login_stages swaps them).
REPLACED = {
    "allauth.account.stages.LoginByCodeStage": "confide.accounts.stages.LoginByCodeStage",
    "allauth.mfa.stages.AuthenticateStage": "confide.accounts.stages.AuthenticateStage",
    "allauth.mfa.stages.TrustStage": "confide.accounts.stages.TrustStage",
}


def trust_allowed(user: Any) -> bool:
    return user is None or not services.passkey_required(user)


class LoginByCodeStage(account_stages.LoginByCodeStage):
    def _is_trusted(self) -> bool:
        return trust_allowed(self.login.user) and super()._is_trusted()


class AuthenticateStage(mfa_stages.AuthenticateStage):
    def _should_handle(self, request: HttpRequest) -> bool:
        user = self.login.user
        if trust_allowed(user):
            return super()._should_handle(request)
        # allauth's rule minus the trusted-browser exemption.
        types = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        return is_mfa_enabled(user, types) and not did_use_passwordless_login(request, user)


class TrustStage(mfa_stages.TrustStage):
    def handle(self) -> tuple[Any, bool]:
        if not trust_allowed(self.login.user):
            return None, True
        return super().handle()
