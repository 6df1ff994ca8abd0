"""What every page needs from consent: the banner (when asking), the site notices of pending
policy changes, and the configuration ``consent.js`` reads. Values are lazy where they cost a
query, so pages that do not render them pay nothing."""

from __future__ import annotations

import json
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from confide.privacy.consent import cookies, integrations
from confide.privacy.consent.policies import pending_changes
from confide.privacy.consent.tracking import may_track


def _notices() -> list[Any]:
    language = translation.get_language()
    key = f"consent:notices:{language}"
    found = cache.get(key)
    if found is None:
        found = pending_changes(language)
        cache.set(key, found, 300)
    return found


def _config(request: HttpRequest, state: cookies.ConsentState | None) -> dict[str, Any]:
    consent = state or cookies.ConsentState(cookies.BANNER_VERSION)
    user = request.user
    wants = consent.allows("analytics") or consent.allows("targeting")
    # Only ask (two queries) when something would run: restriction/objection win over consent.
    allowed_user = wants and (not user.is_authenticated or may_track(user.pk))
    analytics = consent.allows("analytics") and allowed_user
    events = integrations.events_for_page(request, consent) if allowed_user else []
    request.consent_origins = {  # type: ignore[attr-defined]
        integrations.INTEGRATIONS[e["key"]].origin for e in events
    }
    return {
        "state": {c: consent.allows(c) for c in cookies.OPTIONAL},
        "collect": reverse("consent:collect") if analytics else "",
        "integrations": events,
        "cookies": {c: [i.prefix for i in cookies.COOKIES[c]] for c in cookies.OPTIONAL},
    }


def consent(request: HttpRequest) -> dict[str, Any]:
    if getattr(request, "consent_off", False):  # set only by benchmarks/bench_consent.py
        return {}
    state = cookies.state_from_request(request)
    return {
        "consent_state": state,
        "show_consent_banner": state is None and not request.path.startswith("/consent/cookies"),
        "consent_categories": cookies.category_descriptions,
        "consent_banner_version": cookies.BANNER_VERSION,
        # JSON for consent.js, in a data attribute: the page has no inline <script> at all.
        "consent_config": lambda: json.dumps(_config(request, state), separators=(",", ":")),
        "policy_notices": _notices,
    }
