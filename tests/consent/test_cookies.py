"""Cookie consent: banner, proof, withdrawal, clinical pages (CONSENT-1/2/3, RIGHTS-7)."""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any

import pytest
from django.test import Client

from confide.privacy.consent import cookies
from confide.privacy.consent.integrations import (
    RefusedEvent,
    events_for_page,
    guard_advertising_event,
    is_clinical,
)
from confide.privacy.consent.models import ConsentDecision
from confide.privacy.consent.policies import current_version
from confide.privacy.inventory import ADVERTISING_FORBIDDEN


def config_of(html: str) -> dict[str, Any]:
    found = re.search(r'<div id="consent-config" hidden data-config="(.*?)">', html)
    assert found
    return json.loads(unescape(found.group(1)))


@pytest.mark.promise("CONSENT-1")
def test_a_first_visit_shows_the_banner_and_sets_no_optional_cookie(db: Any) -> None:
    response = Client().get("/")
    html = response.content.decode()
    assert 'id="consent-banner"' in html
    assert html.index('value="reject_all"') < html.index('value="accept_all"')
    assert set(response.cookies) <= {"csrftoken", "sessionid"}
    assert config_of(html)["state"] == {"functional": False, "analytics": False, "targeting": False}
    assert config_of(html)["collect"] == "" and config_of(html)["integrations"] == []


@pytest.mark.promise("CONSENT-1")
def test_a_decision_is_stored_with_versions_and_the_hash_of_the_notice(db: Any) -> None:
    browser = Client(HTTP_ACCEPT_LANGUAGE="sv")
    response = browser.post(
        "/consent/cookies/", {"action": "custom", "analytics": "on", "next": "/"}
    )
    assert response.status_code == 302
    decision = ConsentDecision.objects.get()
    assert (decision.functional, decision.analytics, decision.targeting) == (False, True, False)
    assert decision.banner_version == cookies.BANNER_VERSION
    assert decision.policy_version == current_version("privacy")
    assert decision.language == "sv" and decision.method == "custom"
    assert decision.notice_sha256 == cookies.notice_sha256("sv") != cookies.notice_sha256("en")
    assert decision.visitor_id == response.cookies[cookies.VISITOR_COOKIE].value
    assert response.cookies[cookies.STATE_COOKIE].value == "1.010"
    page = browser.get("/").content.decode()
    assert 'id="consent-banner"' not in page
    assert config_of(page)["collect"] == "/consent/analytics/collect/"


@pytest.mark.promise("CONSENT-1")
def test_the_notice_hash_is_of_the_text_the_banner_shows(db: Any) -> None:
    html = Client(HTTP_ACCEPT_LANGUAGE="es").get("/").content.decode()
    import html as html_lib

    shown = html_lib.unescape(re.sub(r"\s+", " ", html))
    from django.utils import translation

    with translation.override("es"):
        for sentence in cookies.notice_texts():
            assert sentence in shown


@pytest.mark.promise("RIGHTS-7")
def test_withdrawing_a_category_deletes_its_cookies_at_once(db: Any) -> None:
    browser = Client()
    browser.post("/consent/cookies/", {"action": "accept_all"})
    browser.cookies["confide_an_id"] = "abc"
    browser.cookies["_ga_XYZ"] = "GA1.1"
    browser.cookies["_fbp"] = "fb.1"
    browser.cookies["confide_fn_size"] = "large"
    response = browser.post("/consent/cookies/", {"action": "custom", "functional": "on"})
    deleted = {n for n, c in response.cookies.items() if c["max-age"] == 0}
    assert deleted == {"confide_an_id", "_ga_XYZ", "_fbp"}
    assert ConsentDecision.objects.order_by("-decided_at").first().analytics is False


@pytest.mark.promise("CONSENT-1")
def test_a_new_banner_revision_asks_again(db: Any, monkeypatch: Any) -> None:
    browser = Client()
    browser.post("/consent/cookies/", {"action": "accept_all"})
    assert 'id="consent-banner"' not in browser.get("/").content.decode()
    monkeypatch.setattr(cookies, "BANNER_VERSION", cookies.BANNER_VERSION + 1)
    page = browser.get("/").content.decode()
    assert 'id="consent-banner"' in page and config_of(page)["integrations"] == []


@pytest.mark.promise("CONSENT-2")
def test_a_users_decision_follows_the_account_to_another_device(client_user: Any) -> None:
    first = Client()
    first.force_login(client_user)
    first.post("/consent/cookies/", {"action": "custom", "analytics": "on"})
    assert ConsentDecision.objects.get().user == client_user
    other = Client()
    other.force_login(client_user)
    response = other.get("/")
    assert response.cookies[cookies.STATE_COOKIE].value == "1.010"


@pytest.mark.promise("CONSENT-3")
@pytest.mark.parametrize("field", ["email", "name", "user_id", "message", "diagnosis", "phone"])
def test_the_advertising_guard_refuses_forbidden_fields(field: str) -> None:
    from confide.privacy.consent.integrations import EVENT_FIELDS

    assert EVENT_FIELDS[field] in ADVERTISING_FORBIDDEN
    with pytest.raises(RefusedEvent):
        guard_advertising_event({"event": "page_view", field: "x"}, signed_in=False)


@pytest.mark.promise("CONSENT-3")
def test_the_advertising_guard_refuses_signed_in_use_and_unknown_fields() -> None:
    with pytest.raises(RefusedEvent):
        guard_advertising_event({"event": "page_view"}, signed_in=True)
    with pytest.raises(RefusedEvent):
        guard_advertising_event({"event": "page_view", "free_text": "x"}, signed_in=False)
    assert guard_advertising_event({"event": "page_view", "page": "/"}, signed_in=False) == {
        "event": "page_view",
        "page": "/",
    }


@pytest.mark.promise("CONSENT-2")
@pytest.mark.promise("CONSENT-3")
def test_care_pages_get_no_integration_signed_in_or_not(
    client_user: Any, rf: Any, settings: Any
) -> None:
    settings.CONSENT_INTEGRATIONS = {"mixpanel", "google_analytics", "meta_pixel"}
    settings.CONSENT_INTEGRATION_ACCOUNTS = {"mixpanel": "t", "google_analytics": "G-1"}
    everything = cookies.ConsentState(cookies.BANNER_VERSION, True, True, True)
    for path in ("/intake/", "/messages/abc/", "/sessions/1/", "/care/", "/notes/"):
        request = rf.get(path)
        request.user = client_user
        assert is_clinical(request) and events_for_page(request, everything) == []
    request = rf.get("/dashboard/")
    request.user = client_user
    assert {e["key"] for e in events_for_page(request, everything)} == {
        "mixpanel",
        "google_analytics",
    }
    from django.contrib.auth.models import AnonymousUser

    for path in ("/intake/step/phq9/", "/intake/crisis/", "/counselors/42/", "/schedule/book/"):
        request = rf.get(path)
        request.user = AnonymousUser()
        assert events_for_page(request, everything) == [], path  # care pages, for anybody
    request = rf.get("/privacy-policy/42/")
    request.user = AnonymousUser()
    assert "meta_pixel" not in {e["key"] for e in events_for_page(request, everything)}
    settings.CONSENT_INTEGRATION_ACCOUNTS["meta_pixel"] = "1234"  # configured: now it may run
    events = events_for_page(request, everything)
    assert {e["key"] for e in events} == {"mixpanel", "google_analytics", "meta_pixel"}
    assert all(e["event"]["page"] == "/privacy-policy/:id/" for e in events)


@pytest.mark.promise("CONSENT-1")
def test_visitor_decisions_expire_after_the_proof_period(client_user: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from confide.presets import current_preset
    from confide.privacy.consent.tasks import expire_visitor_decisions

    old = timezone.now() - current_preset().consent_proof_retention - timedelta(days=1)
    for user, visitor in ((None, "v-old"), (client_user, "")):
        ConsentDecision.objects.create(
            user=user,
            visitor_id=visitor,
            banner_version=1,
            policy_version=1,
            language="en",
            notice_sha256="0" * 64,
            method="reject_all",
            decided_at=old,
        )
    assert expire_visitor_decisions() == 1
    assert list(ConsentDecision.objects.values_list("user", flat=True)) == [client_user.pk]


@pytest.mark.promise("CONSENT-1")
@pytest.mark.promise("POLICY-3")
@pytest.mark.parametrize(
    ("language", "reject", "accept"),
    [
        ("en", "Reject all", "Accept all"),
        ("es", "Rechazar todas", "Aceptar todas"),
        ("sv", "Avvisa alla", "Godkänn alla"),
        ("sq", "Refuzo të gjitha", "Prano të gjitha"),
    ],
)
def test_the_banner_speaks_each_language(db: Any, language: str, reject: str, accept: str) -> None:
    html = Client(HTTP_ACCEPT_LANGUAGE=language).get("/").content.decode()
    banner = html[html.index('id="consent-banner"') : html.index("</section>")]
    assert f'value="reject_all" class="button">{reject}</button>' in banner
    assert f'value="accept_all" class="button">{accept}</button>' in banner


@pytest.mark.promise("RIGHTS-7")
def test_the_centre_section_lists_each_consent_with_its_way_out(client_user: Any, rf: Any) -> None:
    from django.template.loader import render_to_string

    from confide.privacy.consent import services

    services.record_acceptance(client_user, method="signup")
    services.grant_marketing(client_user, source="signup")
    request = rf.get("/privacy/")
    request.user = client_user
    request.COOKIES[cookies.STATE_COOKIE] = "1.010"
    from django.utils import translation

    with translation.override("en"):
        html = render_to_string("consent/_centre_section.html", {"request": request})
    assert "Statistics: allowed" in html and "Advertising: not allowed" in html
    assert "You receive news emails." in html and 'href="/consent/email/"' in html
    assert "Privacy policy, version 4, accepted on" in html
    assert 'href="/consent/cookies/"' in html
