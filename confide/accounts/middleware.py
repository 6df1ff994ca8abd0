"""Per-request account rules allauth does not have: blocked accounts are signed out, sessions end
after the preset's idle time and absolute lifetime, people whose role requires a passkey reach
nothing but enrolment and sign-out until they have one, then nothing but a passkey confirmation
until this session has used it (ACC-5), and cannot remove their last one."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from confide.accounts import passkeys, services
from confide.core.sockets import touch
from confide.privacy.access import has_passkey

#: URL names a passkey-less clinician may still reach (enrolment, reauthentication, sign-out).
ENROLMENT_URL_NAMES = frozenset(
    {
        "mfa_add_webauthn",
        "mfa_index",
        "account_logout",
        "account_reauthenticate",
        "mfa_reauthenticate",
        "mfa_reauthenticate_webauthn",
        "set_language",
        "healthz",
    }
)
#: URL names reachable before this session used the passkey. Not enrolment: adding a key needs
#: only a password re-authentication, which would let a password alone mint a new passkey.
CONFIRMATION_URL_NAMES = frozenset(
    {"mfa_reauthenticate_webauthn", "account_logout", "set_language", "healthz"}
)
_ALWAYS_OPEN_PREFIXES = ("/static/", "/media/", "/i18n/")


class AccountGateMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if user.is_blocked or _session_expired(request):
            logout(request)
            return redirect("account_login")
        match = request.resolver_match
        url_name = match.url_name if match else ""
        if request.path.startswith(_ALWAYS_OPEN_PREFIXES):
            return None
        if services.passkey_required(user) and not has_passkey(user):
            return _enrolment_gate(request, url_name or "")
        if passkeys.confirmation_required(request.session, user):
            return _confirmation_gate(request, url_name or "")
        if url_name == "mfa_remove_webauthn" and request.method == "POST":
            return _refuse_last_passkey(request, user)
        return None


def _session_expired(request: HttpRequest) -> bool:
    """Idle timeout and absolute lifetime from the preset (ACC-4), the same rule sockets use."""
    return touch(request.session, time.time()) is None


def _enrolment_gate(request: HttpRequest, url_name: str) -> HttpResponse | None:
    if url_name in ENROLMENT_URL_NAMES:
        return None
    if request.method != "GET" or request.headers.get("HX-Request"):
        return HttpResponseForbidden(_("Enrol a passkey first."))
    messages.info(
        request,
        _("Your role requires a passkey. Add one now to continue: it takes less than a minute."),
    )
    return redirect("mfa_add_webauthn")


def _confirmation_gate(request: HttpRequest, url_name: str) -> HttpResponse | None:
    """Send the person to allauth's passkey re-authentication, which records a WebAuthn step in
    this session and then returns them to the page they asked for."""
    if url_name in CONFIRMATION_URL_NAMES:
        return None
    if request.method != "GET" or request.headers.get("HX-Request"):
        return HttpResponseForbidden(_("Confirm with your passkey first."))
    messages.info(
        request,
        _(
            "Your role requires signing in with your passkey before you see anything else. "
            "Confirm with your passkey to continue. Lost it? Ask our support team to verify "
            "you and reset it."
        ),
    )
    query = urlencode({"next": request.get_full_path()})
    return redirect(f"{reverse('mfa_reauthenticate_webauthn')}?{query}")


def _refuse_last_passkey(request: HttpRequest, user: Any) -> HttpResponse | None:
    from allauth.mfa.models import Authenticator

    if not services.passkey_required(user):
        return None
    count = Authenticator.objects.filter(user=user, type=Authenticator.Type.WEBAUTHN).count()
    if count > 1:
        return None
    messages.error(
        request,
        _("You cannot remove your last passkey: your role requires one. Add another key first."),
    )
    return redirect("mfa_list_webauthn")
