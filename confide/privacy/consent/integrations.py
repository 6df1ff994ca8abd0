"""Third-party analytics and advertising integrations (CONSENT-2, CONSENT-3).

An integration runs only when (1) the preset enables it, (2) the visitor consented to its
category, (3) the page does not reveal a care need (for anybody, signed in or not), and for
advertising (4) nobody is signed in. Integrations
never load a vendor script: our own ``consent.js`` sends a small event built here, on the server,
through :func:`guard_event`, straight to the vendor's collection endpoint, without cookies or
Referer. What leaves the site is therefore exactly what this module lets through.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from confide.presets import current_preset
from confide.privacy.inventory import ADVERTISING_FORBIDDEN, CATEGORIES


@dataclass(frozen=True)
class Integration:
    key: str
    label: str
    category: str  # "analytics" or "targeting"
    endpoint: str
    opt_out_url: str

    @property
    def origin(self) -> str:
        return "/".join(self.endpoint.split("/")[:3])


INTEGRATIONS: dict[str, Integration] = {
    i.key: i
    for i in (
        Integration(
            "mixpanel",
            "Mixpanel",
            "analytics",
            "https://api-js.mixpanel.com/track/",
            "https://mixpanel.com/optout/",
        ),
        Integration(
            "google_analytics",
            "Google Analytics",
            "analytics",
            "https://www.google-analytics.com/g/collect",
            "https://tools.google.com/dlpage/gaoptout",
        ),
        Integration(
            "meta_pixel",
            "Meta Pixel",
            "targeting",
            "https://www.facebook.com/tr/",
            "https://www.facebook.com/privacy/policies/cookies/",
        ),
    )
}

# --- Care pages ------------------------------------------------------------------------------
#: URL prefixes of pages that reveal a care need: the intake (the PHQ-9 step, the crisis page),
#: counselor profiles, matching, booking, sessions, messages and clinical records. No visitor's
#: page view under these reaches a third party, whatever the consent and whether signed in or not:
#: that someone read a counselor's profile or the crisis page is itself health information.
CLINICAL_PREFIXES: tuple[str, ...] = (
    "/intake/",
    "/counselors/",
    "/messages/",
    "/sessions/",
    "/care/",
    "/notes/",
    "/records/",
    "/matching/",
    "/schedule/",
    # Course and document titles name what someone is working on (panic, grief, sleep).
    "/library/",
)


def clinical(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view as clinical wherever its URL lives: no third-party request, regardless of
    consent. Clinical apps may use this in addition to the URL-prefix list."""
    view.clinical_page = True  # type: ignore[attr-defined]
    return view


def is_clinical(request: HttpRequest) -> bool:
    if getattr(request, "clinical_page", False):
        return True
    return request.path.startswith(CLINICAL_PREFIXES)


def enabled_integrations() -> list[Integration]:
    keys = getattr(settings, "CONSENT_INTEGRATIONS", None)
    if keys is None:
        keys = current_preset().analytics_integrations
    # An integration without the operator's account id would send requests nobody receives.
    return [INTEGRATIONS[k] for k in sorted(keys) if k in INTEGRATIONS and integration_account(k)]


# --- The guard ---------------------------------------------------------------------------------
class RefusedEvent(ValueError):
    """An event an integration must not receive."""


#: Inventory category of each field an event may carry. A field not listed here is refused:
#: nothing reaches a third party without being classified first.
EVENT_FIELDS: dict[str, str] = {
    "event": "usage",
    "page": "usage",
    "language": "preferences",
    "referral": "usage",
    "device_class": "network",
    # Listed so the guard can name why it refuses them (they are never allowed).
    "email": "contact",
    "phone": "contact",
    "name": "identity",
    "nickname": "identity",
    "user_id": "identity",
    "client_number": "identity",
    "date_of_birth": "identity",
    "message": "content",
    "note": "content",
    "journal": "content",
    "answers": "health",
    "diagnosis": "health",
    "score": "health",
    "session_id": "health",
    "bank_account": "financial",
    "amount": "financial",
    "government_id": "government_id",
}
assert set(EVENT_FIELDS.values()) <= set(CATEGORIES)


def guard_event(event: dict[str, Any], *, signed_in: bool, advertising: bool) -> dict[str, Any]:
    """THE check every event to an integration passes. For advertising (CONSENT-3) it refuses
    any event from signed-in use and any field whose inventory category is in
    ``ADVERTISING_FORBIDDEN``; for analytics it refuses the same categories. Unclassified
    fields are refused. Values must be short strings. Returns a copy that is safe to send."""
    if advertising and signed_in:
        raise RefusedEvent("advertising never receives events from signed-in use")
    clean = {}
    for key, value in event.items():
        category = EVENT_FIELDS.get(key)
        if category is None:
            raise RefusedEvent(f"field {key!r} has no inventory category")
        if category in ADVERTISING_FORBIDDEN:
            raise RefusedEvent(f"field {key!r} is {category} data")
        if not isinstance(value, str) or len(value) > 120:
            raise RefusedEvent(f"field {key!r} must be a short string")
        clean[key] = value
    return clean


def guard_advertising_event(event: dict[str, Any], *, signed_in: bool) -> dict[str, Any]:
    return guard_event(event, signed_in=signed_in, advertising=True)


_ID_SEGMENT = re.compile(r"^(\d+|[0-9a-f]{8}-[0-9a-f-]{27}|[0-9a-f]{16,}|[A-Za-z0-9_-]{20,})$")


def page_label(path: str) -> str:
    """The path without ids or tokens, so no page address identifies anyone."""
    parts = [":id" if _ID_SEGMENT.match(p) else p for p in path.split("?")[0].split("/")]
    return "/".join(parts)[:120]


def events_for_page(request: HttpRequest, consent: Any) -> list[dict[str, Any]]:
    """The integrations this page may run and the guarded event each one sends."""
    if is_clinical(request):
        return []
    signed_in = bool(request.user.is_authenticated)
    event = {
        "event": "page_view",
        "page": page_label(request.path),
        "language": (getattr(request, "LANGUAGE_CODE", "") or "")[:8],
    }
    found = []
    for integration in enabled_integrations():
        if not consent.allows(integration.category):
            continue
        advertising = integration.category == "targeting"
        if advertising and signed_in:
            continue  # CONSENT-3: no advertising from signed-in use at all
        payload = guard_event(event, signed_in=signed_in, advertising=advertising)
        found.append(
            {
                "key": integration.key,
                "category": integration.category,
                "endpoint": integration.endpoint,
                "account": integration_account(integration.key),
                "event": payload,
            }
        )
    return found


def recipients() -> list[Any]:
    """The enabled integrations as declared recipients (SHARE-1): reached from the browser, with
    the visitor's consent, receiving only what :func:`guard_event` lets through."""
    from confide.privacy.recipients import Recipient

    allowed = frozenset(set(EVENT_FIELDS.values()) - ADVERTISING_FORBIDDEN)
    return [
        Recipient(
            key=i.key,
            kind="advertising" if i.category == "targeting" else "analytics",
            hosts=frozenset({i.endpoint.split("/")[2]}),
            categories=allowed,
            side="browser",
            consent=i.category,
        )
        for i in enabled_integrations()
    ]


def integration_account(key: str) -> str:
    """The operator's account id with the vendor (a token, not personal data)."""
    return str(getattr(settings, "CONSENT_INTEGRATION_ACCOUNTS", {}).get(key, ""))
