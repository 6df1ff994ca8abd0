"""First-party visitor analytics, only with consent and never for restricted or objecting
people (LOG-1, CONSENT-2)."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.test import Client

from confide.privacy.consent.analytics.services import referral_source, truncate_ip
from confide.privacy.consent.models import FrontendError, PageView
from confide.privacy.models import Objection, Restriction

PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Version/17.0 Mobile Safari/604.1"


def beacon(browser: Client, payload: dict[str, Any]) -> int:
    return browser.post(
        "/consent/analytics/collect/",
        json.dumps(payload),
        content_type="text/plain",
        HTTP_USER_AGENT=PHONE,
        REMOTE_ADDR="203.0.113.77",
    ).status_code


def consenting(analytics: bool) -> Client:
    browser = Client()
    browser.post("/consent/cookies/", {"action": "accept_all" if analytics else "reject_all"})
    return browser


@pytest.mark.promise("LOG-1")
@pytest.mark.promise("CONSENT-2")
def test_a_consenting_visitor_is_counted_with_coarse_values(db: Any) -> None:
    browser = consenting(True)
    view = str(uuid.uuid4())
    payload = {
        "t": "view",
        "id": view,
        "visitor": "v-1",
        "path": "/counselors/1234/?email=a@b.c",
        "referrer": "https://www.google.com/search?q=therapy",
        "language": "es",
    }
    assert beacon(browser, payload) == 204
    assert beacon(browser, {"t": "leave", "id": view, "ms": 42000}) == 204
    error = {"t": "error", "kind": "TypeError", "path": "/", "source": "/static/x.js", "line": 3}
    assert beacon(browser, error) == 204
    row = PageView.objects.get()
    assert (row.path, row.referral_source, row.ip_truncated) == (
        "/counselors/:id/",
        "search",
        "203.0.113.0",
    )
    assert (row.browser, row.device_class, row.duration_ms) == ("safari", "mobile", 42000)
    assert FrontendError.objects.get().kind == "TypeError"


@pytest.mark.promise("LOG-1")
@pytest.mark.promise("CONSENT-2")
def test_nothing_is_stored_without_analytics_consent(db: Any) -> None:
    for browser in (Client(), consenting(False)):
        assert beacon(browser, {"t": "view", "id": str(uuid.uuid4()), "path": "/"}) == 204
    assert not PageView.objects.exists()


@pytest.mark.promise("LOG-1")
@pytest.mark.parametrize("block", ["restriction", "objection"])
def test_restricted_or_objecting_users_are_never_counted(client_user: Any, block: str) -> None:
    browser = consenting(True)
    browser.force_login(client_user)
    before = browser.get("/dashboard/").content.decode()
    assert "&quot;collect&quot;:&quot;/consent/analytics/collect/&quot;" in before
    if block == "restriction":
        Restriction.objects.create(user=client_user)
    else:
        Objection.objects.create(user=client_user, purpose="analytics")
    assert beacon(browser, {"t": "view", "id": str(uuid.uuid4()), "path": "/"}) == 204
    assert not PageView.objects.exists()
    page = browser.get("/dashboard/").content.decode()
    assert "&quot;collect&quot;:&quot;&quot;" in page


def test_ips_and_referrers_are_reduced() -> None:
    assert truncate_ip("2001:db8:1234:5678::1") == "2001:db8:1234::"
    assert truncate_ip("not an ip") == ""
    assert (
        referral_source("https://example.org/x?y=1", "", "confide.test") == "referral:example.org"
    )
    assert referral_source("", "newsletter", "confide.test") == "campaign:newsletter"
    assert referral_source("http://confide.test/a", "", "confide.test") == "direct"
