"""What the Django admin may show, decided in one place (issue 13.3, LOG-4, INTAKE-5).

The sign-in apps we install register admin pages of their own: every person's e-mail address
(allauth ``EmailAddress``), every session's IP and user agent (``UserSession``), people's social
accounts and OAuth tokens, provider secrets, and authenticators with their TOTP and recovery-code
seeds and passkey credentials. None of that goes through our access policy, so it is removed here,
right after the admin's autodiscovery (``ConfideAdminConfig.ready``).

Every model that stays must be listed in ``ALLOWED`` with the reason it is safe: the test
``tests/core/test_admin_policy.py`` fails on any registered model that is not, so a new app's
admin cannot slip in unreviewed. Client data is never reached through the admin; team leaders and
staff reach it through the break-glass pages of the domains (``privacy.access.break_glass``).
The site itself asks ``privacy.access.may_use_admin`` and never offers Django's password-only
sign-in: signing in always goes through allauth (second factor, lockout, sign-in records).
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.admin import AdminSite
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from confide.privacy.access import may_use_admin

#: Admin models that stay, each with why it shows no personal data and no secret.
ALLOWED: dict[str, str] = {
    "auth.group": "group names and permission sets: no personal data, no secret",
}

#: Admin models removed, each with what it would show.
REMOVED: dict[str, str] = {
    "account.emailaddress": "every person's e-mail address",
    "mfa.authenticator": "TOTP and recovery-code seeds, passkey credentials",
    "usersessions.usersession": "every session's IP address and user agent",
    "socialaccount.socialaccount": "people's provider ids and the profile data providers send",
    "socialaccount.socialtoken": "OAuth access and refresh tokens",
    "socialaccount.socialapp": "provider client secrets (we configure providers in settings)",
}


def apply_admin_policy(site: AdminSite) -> None:
    """Unregister every model in ``REMOVED`` that an installed app registered."""
    for label in REMOVED:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue  # its app is not installed in this deployment
        if site.is_registered(model):
            site.unregister(model)


def unreviewed_models(site: AdminSite) -> list[str]:
    """Registered admin models that nobody has reviewed into ``ALLOWED``."""
    return sorted(
        model._meta.label_lower
        for model in site._registry
        if model._meta.label_lower not in ALLOWED
    )


class ConfideAdminSite(AdminSite):
    """The admin site, behind the access policy."""

    def has_permission(self, request: HttpRequest) -> bool:
        return may_use_admin(request.user)

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        # Django's own login form checks a password only: no second factor, no lockout, no
        # sign-in record. Never render it; send people through allauth's sign-in instead.
        if may_use_admin(request.user):
            return redirect("admin:index")
        if request.user.is_authenticated:
            raise PermissionDenied
        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse("admin:index")
        return redirect_to_login(target)

    def password_change(  # type: ignore[override]  # a redirect, not Django's form page
        self, request: HttpRequest, extra_context: Any = None
    ) -> HttpResponse:
        # allauth's page records the change, tells the person and ends their other sessions.
        return redirect("account_change_password")
