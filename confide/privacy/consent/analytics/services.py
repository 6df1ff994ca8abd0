"""First-party visitor analytics (LOG-1, CONSENT-2).

``consent.js`` sends small beacons (page view, time on page, front-end error) only when the
visitor consented to statistics; :func:`record_beacon` checks again on the server — consent
cookie, restriction and objection — and stores only coarse values.
"""

from __future__ import annotations

import ipaddress
import re
import uuid
from datetime import timedelta
from typing import Any
from urllib.parse import urlparse

from django.utils import timezone

from confide.privacy.consent.analytics.models import FrontendError, PageView
from confide.privacy.consent.integrations import page_label
from confide.privacy.processing import may_process

SEARCH_HOSTS = ("google.", "bing.", "duckduckgo.", "yahoo.", "ecosia.", "yandex.")
SOCIAL_HOSTS = ("facebook.", "instagram.", "t.co", "twitter.", "x.com", "linkedin.", "tiktok.")
_SHORT = re.compile(r"^[A-Za-z0-9_.:-]{1,60}$")


def truncate_ip(address: str) -> str:
    """IPv4 keeps its first three octets, IPv6 its first 48 bits."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ""
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False).network_address)


def browser_of(user_agent: str) -> str:
    ua = user_agent.lower()
    for needle, name in (
        ("edg/", "edge"),
        ("opr/", "opera"),
        ("firefox/", "firefox"),
        ("chrome/", "chrome"),
        ("chromium/", "chrome"),
        ("safari/", "safari"),
    ):
        if needle in ua:
            return name
    return "other"


def device_class_of(user_agent: str) -> str:
    ua = user_agent.lower()
    if "ipad" in ua or "tablet" in ua:
        return "tablet"
    if "mobi" in ua or "android" in ua or "iphone" in ua:
        return "mobile"
    return "desktop"


def referral_source(referrer: str, campaign: str, own_host: str) -> str:
    """Where the visitor came from, as a class: never the full referring URL."""
    if campaign and _SHORT.match(campaign):
        return f"campaign:{campaign}"
    host = (urlparse(referrer).hostname or "").lower()
    if not host or host == own_host:
        return "direct"
    if any(s in host for s in SEARCH_HOSTS):
        return "search"
    if any(s in host for s in SOCIAL_HOSTS):
        return "social"
    return f"referral:{host[:100]}"


def record_beacon(
    payload: dict[str, Any],
    *,
    user_id: int | None,
    analytics_consent: bool,
    remote_addr: str,
    user_agent: str,
    own_host: str,
) -> bool:
    """Store one beacon. Returns False (and stores nothing) without consent, for restricted or
    objecting users, or for malformed input."""
    if not analytics_consent:
        return False
    if user_id is not None and not may_process(user_id, "analytics"):
        return False
    kind = payload.get("t")
    try:
        if kind == "view":
            return _record_view(payload, user_id, remote_addr, user_agent, own_host)
        if kind == "leave":
            return _record_leave(payload)
        if kind == "error":
            return _record_error(payload, user_id, user_agent)
    except (ValueError, TypeError):
        return False
    return False


def _record_view(
    payload: dict[str, Any], user_id: int | None, remote_addr: str, ua: str, own_host: str
) -> bool:
    view_id = uuid.UUID(str(payload.get("id")))
    visitor = str(payload.get("visitor", ""))
    PageView.objects.get_or_create(
        id=view_id,
        defaults={
            "user_id": user_id,
            "visitor_id": visitor if _SHORT.match(visitor) else "",
            "path": page_label(str(payload.get("path", "/"))),
            "referral_source": referral_source(
                str(payload.get("referrer", "")), str(payload.get("campaign", "")), own_host
            ),
            "browser": browser_of(ua),
            "device_class": device_class_of(ua),
            "ip_truncated": truncate_ip(remote_addr),
            "language": str(payload.get("language", ""))[:8],
        },
    )
    return True


def _record_leave(payload: dict[str, Any]) -> bool:
    view_id = uuid.UUID(str(payload.get("id")))
    duration = max(0, min(int(payload.get("ms", 0)), 6 * 3600 * 1000))
    recent = timezone.now() - timedelta(hours=6)
    changed = PageView.objects.filter(
        id=view_id, started_at__gte=recent, duration_ms__isnull=True
    ).update(duration_ms=duration)
    return bool(changed)


def _record_error(payload: dict[str, Any], user_id: int | None, ua: str) -> bool:
    kind = str(payload.get("kind", "Error"))
    FrontendError.objects.create(
        user_id=user_id,
        path=page_label(str(payload.get("path", "/"))),
        kind=kind if _SHORT.match(kind) else "Error",
        source=page_label(urlparse(str(payload.get("source", ""))).path),
        line=max(0, int(payload.get("line") or 0)) or None,
        browser=browser_of(ua),
    )
    return True
