"""Consent pages. Thin: parse, authorize (route decorators), call one service, render."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from confide.accounts.signins import client_ip
from confide.privacy.access import public, signed_in
from confide.privacy.consent import cookies, documents, marketing, policies
from confide.privacy.consent.analytics.services import record_beacon
from confide.privacy.consent.forms import AcceptForm, CookieChoiceForm, MarketingForm
from confide.privacy.consent.integrations import enabled_integrations
from confide.privacy.consent.models import PolicyDocument


def _safe_next(request: HttpRequest, target: str | None, default: str = "/") -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@public
@require_http_methods(["GET", "POST"])
def cookie_settings(request: HttpRequest) -> HttpResponse:
    """The preferences page; the banner posts here too (it works without JavaScript)."""
    state = cookies.state_from_request(request)
    if request.method == "POST":
        form = CookieChoiceForm(request.POST)
        if form.is_valid():
            return _decide(request, form)
        status = 400
    else:
        form = CookieChoiceForm(initial={c: state and state.allows(c) for c in cookies.OPTIONAL})
        status = 200
    context = {
        "form": form,
        "state": state,
        "checked_keys": [c for c in cookies.OPTIONAL if state and state.allows(c)],
        "cookie_table": [
            (key, label, text, cookies.COOKIES[key])
            for key, label, text in cookies.category_descriptions()
        ],
        "integrations": enabled_integrations(),
    }
    return render(request, "consent/cookie_settings.html", context, status=status)


def _decide(request: HttpRequest, form: CookieChoiceForm) -> HttpResponse:
    data = form.cleaned_data
    visitor_id = request.COOKIES.get(cookies.VISITOR_COOKIE) or cookies.new_visitor_id()
    decision = cookies.record_cookie_decision(
        user=request.user,
        visitor_id=visitor_id,
        method=data["action"],
        choices=cookies.choices_for(data["action"], data),
        language=translation.get_language() or "en",
    )
    state = cookies.ConsentState(
        decision.banner_version, decision.functional, decision.analytics, decision.targeting
    )
    if request.headers.get("Accept", "").startswith("application/json"):
        response: HttpResponse = JsonResponse({"state": decision.categories()})
    else:
        messages.success(request, _("Your cookie choices are saved."))
        response = HttpResponseRedirect(_safe_next(request, data.get("next"), request.path))
    cookies.apply_state(request, response, state)
    if not request.user.is_authenticated:
        response.set_cookie(
            cookies.VISITOR_COOKIE,
            visitor_id,
            max_age=cookies.COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


@public
@csrf_exempt  # sendBeacon cannot carry the token; we require a same-origin request instead
@require_POST
def collect(request: HttpRequest) -> HttpResponse:
    """First-party analytics beacons. Stores nothing without analytics consent."""
    if request.headers.get("Sec-Fetch-Site", "same-origin") != "same-origin":
        return HttpResponse(status=403)
    try:
        payload = json.loads(request.body[:4096] or b"{}")
    except (ValueError, UnicodeDecodeError):
        return HttpResponseBadRequest()
    if not isinstance(payload, dict):
        return HttpResponseBadRequest()
    state = cookies.state_from_request(request)
    record_beacon(
        payload,
        user_id=request.user.pk if request.user.is_authenticated else None,
        analytics_consent=bool(state and state.allows("analytics")),
        # The same reading of the client address as sign-in records (honours trusted proxies).
        remote_addr=client_ip(request) or "",
        user_agent=request.headers.get("User-Agent", "")[:300],
        own_host=request.get_host().split(":")[0],
    )
    return HttpResponse(status=204)


@public
def policy(request: HttpRequest, kind: str, version: int | None = None) -> HttpResponse:
    """The current (or an archived) version of a policy document in the visitor's language."""
    if kind not in PolicyDocument.Kind.values:
        raise Http404
    current = policies.current_version(kind)
    number = version or current
    doc = policies.document(kind, number) if number and number <= current else None
    if doc is None:
        raise Http404
    context = {
        "doc": doc,
        "blocks": documents.blocks(doc.body),
        "collection_template": documents.collection_template(),
        "fallback_collection": documents.fallback_summary,
        "is_current": number == current,
        "archive": policies.archive(kind),
        "pending": [d for d in policies.pending_changes() if d.kind == kind],
        "operator": {"name": settings.OPERATOR_NAME, "contact": settings.OPERATOR_CONTACT},
    }
    return render(request, "consent/policy.html", context)


@signed_in
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest) -> HttpResponse:
    """Renewed acceptance after a material change (CONSENT-5)."""
    form = AcceptForm(
        request.POST if request.method == "POST" else None,
        initial={"next": request.GET.get("next", "")},
    )
    if request.method == "POST" and form.is_valid():
        policies.record_acceptance(request.user, method="reacceptance")
        return HttpResponseRedirect(_safe_next(request, form.cleaned_data.get("next")))
    context = {
        "form": form,
        "documents": policies.current_documents(),
        "needed": policies.needs_reacceptance(request.user),
    }
    return render(request, "consent/accept.html", context, status=400 if form.errors else 200)


@public
@csrf_exempt  # RFC 8058: mail clients POST without cookies or tokens; the signed URL is the key
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a one-button page (link scanners must not unsubscribe anyone); POST, from that
    button or from a mail client's one-click, withdraws the marketing grant."""
    if marketing.user_id_from_token(token) is None:
        return render(request, "consent/unsubscribe.html", {"invalid": True}, status=404)
    done = False
    if request.method == "POST":
        done = marketing.unsubscribe(token, via="one_click") is not None
    return render(request, "consent/unsubscribe.html", {"token": token, "done": done})


@signed_in
@require_http_methods(["GET", "POST"])
def marketing_settings(request: HttpRequest) -> HttpResponse:
    """Opt in or out of marketing email, separate from the terms (CONSENT-4)."""
    subscribed = marketing.has_marketing_grant(int(request.user.pk or 0))
    form = MarketingForm(
        request.POST if request.method == "POST" else None, initial={"subscribed": subscribed}
    )
    if request.method == "POST" and form.is_valid():
        marketing.set_marketing_choice(request.user, form.cleaned_data["subscribed"])
        messages.success(request, _("Your email preferences are saved."))
        return HttpResponseRedirect(request.path)
    return render(request, "consent/marketing.html", {"form": form, "subscribed": subscribed})
