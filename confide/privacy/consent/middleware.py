"""Consent middleware: the re-acceptance gate (CONSENT-5), clinical-page marking, and the CSP
allowance for integrations a page actually runs.

Place after ``AuthenticationMiddleware`` and after the CSP middleware
(``confide.core.middleware.ContentSecurityPolicyMiddleware``) so the response's CSP update is read
on the way out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from confide.privacy.consent import cookies
from confide.privacy.consent.policies import needs_reacceptance

#: While a material change awaits acceptance, a signed-in user may only reach these:
#: the policies and the acceptance page, the privacy centre (export, delete), sign-out,
#: language switching, static files and the health check.
GATE_ALLOWED_PREFIXES: tuple[str, ...] = (
    "/consent/",
    "/privacy-policy/",
    "/terms/",
    "/privacy/",
    "/i18n/",
    "/healthz",
)


_RESTORE_CHECKED = "consent_restore_checked"


def gate_allows(path: str) -> bool:
    static = settings.STATIC_URL or "/static/"
    if path.startswith((*GATE_ALLOWED_PREFIXES, static)):
        return True
    return path == reverse("account_logout")


class ConsentMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in and not gate_allows(request.path) and needs_reacceptance(user):
            target = reverse("consent:accept") + "?" + urlencode({"next": request.path})
            if request.headers.get("HX-Request"):
                # htmx would swap the acceptance page into a fragment: make it navigate instead.
                return HttpResponse(status=204, headers={"HX-Redirect": target})
            return HttpResponseRedirect(target)
        restored = None
        if (
            signed_in
            and cookies.STATE_COOKIE not in request.COOKIES
            and not request.session.get(_RESTORE_CHECKED)
        ):
            # A decision made on another device follows the account. Looked up once per
            # session, so someone who never decides does not cost a query on every page.
            request.session[_RESTORE_CHECKED] = True
            decision = cookies.latest_decision_for(user)
            if decision is not None:
                restored = cookies.ConsentState(
                    decision.banner_version,
                    decision.functional,
                    decision.analytics,
                    decision.targeting,
                )
                request.COOKIES[cookies.STATE_COOKIE] = restored.encode()
        response = self.get_response(request)
        if restored is not None and not response.cookies.get(cookies.STATE_COOKIE):
            cookies.apply_state(request, response, restored)
        origins = getattr(request, "consent_origins", None)
        if origins:
            update = dict(getattr(response, "_csp_update", None) or {})  # a view's own, kept
            update["connect-src"] = sorted(origins)
            response._csp_update = update  # type: ignore[attr-defined]
        return response

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> None:
        if getattr(view_func, "clinical_page", False):
            request.clinical_page = True  # type: ignore[attr-defined]
