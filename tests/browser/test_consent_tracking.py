"""Every request the browser makes, intercepted: nothing third-party before consent, no
advertising with statistics-only consent, no canary ever leaves (CONSENT-1/2/3, RIGHTS-7).

Third-party hosts are answered by a local stub inside the browser (route.fulfill): no real
network is used."""

from __future__ import annotations

import base64
import binascii
import contextlib
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote_plus, urlparse

import pytest
from django.test import Client

from tests.counselors.builders import make_counselor
from tests.factories import make_user

pytestmark = pytest.mark.browser

ANALYTICS_HOSTS = {"api-js.mixpanel.com", "www.google-analytics.com"}
ADVERTISING_HOSTS = {"www.facebook.com"}


@dataclass
class Recorder:
    phase: str = "anonymous"
    third_party: list[dict[str, Any]] = field(default_factory=list)
    first_party: list[str] = field(default_factory=list)

    def handle(self, route: Any) -> None:
        request = route.request
        host = urlparse(request.url).hostname
        if host in {"127.0.0.1", "localhost"}:
            self.first_party.append(request.url)
            route.continue_()
            return
        self.third_party.append(
            {
                "phase": self.phase,
                "host": host,
                "url": request.url,
                "body": request.post_data or "",
                "referer": request.headers.get("referer", ""),
            }
        )
        route.fulfill(status=204, body="")

    def hosts(self, phase: str | None = None) -> set[str]:
        return {r["host"] for r in self.third_party if phase in (None, r["phase"])}


def readable(value: str) -> str:
    """Every way a canary could hide in a URL or body: percent-encoding (nested), form fields,
    and base64 (Mixpanel's ``data=``), in any combination."""
    views = [value]
    for _key, item in parse_qsl(urlparse(value).query or value):
        with contextlib.suppress(ValueError, binascii.Error):
            views.append(base64.b64decode(item + "=" * (-len(item) % 4)).decode("utf-8", "ignore"))
    decoded = []
    for view in views:
        for _ in range(3):
            decoded.append(view)
            view = unquote_plus(view)
    return "\n".join(decoded).lower()


@pytest.fixture
def integrations(settings: Any) -> None:
    settings.CONSENT_INTEGRATIONS = {"mixpanel", "google_analytics", "meta_pixel"}
    settings.CONSENT_INTEGRATION_ACCOUNTS = {
        "mixpanel": "mp-token",
        "google_analytics": "G-TEST",
        "meta_pixel": "1234",
    }


def watched(new_context: Any) -> tuple[Any, Recorder]:
    context = new_context()
    recorder = Recorder()
    context.route("**/*", recorder.handle)
    return context, recorder


def settle(page: Any) -> None:
    page.wait_for_load_state("networkidle")


@pytest.mark.promise("CONSENT-1")
@pytest.mark.promise("CONSENT-2")
def test_no_third_party_request_before_consent_and_no_ads_with_statistics_only(
    new_context: Any, integrations: None
) -> None:
    context, recorder = watched(new_context)
    page = context.new_page()
    for path in ("/", "/privacy-policy/", "/accounts/login/", "/?utm_source=newsletter"):
        page.goto(path)
        settle(page)
    assert recorder.third_party == []
    names = {c["name"] for c in context.cookies()}
    assert names <= {"csrftoken", "sessionid", "django_language"}

    # Keyboard only: tick "Statistics", then "Save my choices".
    page.focus("#consent-banner-analytics")
    page.keyboard.press("Space")
    page.focus("#consent-banner button[value=custom]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    settle(page)
    assert page.locator("#consent-banner").count() == 0
    page.goto("/privacy-policy/")
    settle(page)
    assert recorder.hosts() == ANALYTICS_HOSTS
    assert any(u.endswith("/consent/analytics/collect/") for u in recorder.first_party)
    assert "confide_an_id" in {c["name"] for c in context.cookies()}


@pytest.mark.promise("CONSENT-3")
def test_with_targeting_consent_no_request_carries_a_canary(
    new_context: Any, integrations: None, asgi_server: Any
) -> None:
    user = make_user(
        "client",
        email="canary.mail.q7@example.test",
        nickname="Quillfeather",
        first_name="Quillfeather",
        last_name="Marrowind",
    )
    # A distinctive number, so that a match cannot be a coincidence with a port or a counter.
    type(user).objects.filter(pk=user.pk).update(client_number=987_654_321)
    user.refresh_from_db()
    canaries = [
        "canary.mail.q7",
        "Quillfeather",
        "Marrowind",
        str(user.client_number),
        "purple elephant whispers",
    ]
    context, recorder = watched(new_context)
    page = context.new_page()
    page.goto("/")
    page.focus("#consent-banner button[value=accept_all]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    settle(page)
    page.goto("/?draft=purple%20elephant%20whispers")
    settle(page)
    assert recorder.hosts("anonymous") >= ADVERTISING_HOSTS  # the test can see ads requests

    signed_in = Client()
    signed_in.force_login(user)
    session = signed_in.cookies["sessionid"].value
    context.add_cookies([{"name": "sessionid", "value": session, "url": asgi_server.url}])
    recorder.phase = "signed_in"
    page.goto("/dashboard/")
    settle(page)
    assert "Quillfeather" in page.content()
    recorder.phase = "clinical"
    for path in ("/messages/", "/intake/", "/schedule/"):
        page.goto(f"{path}?note=purple%20elephant%20whispers")
        settle(page)
    recorder.phase = "signed_in"
    page.goto("/privacy-policy/")
    settle(page)

    assert recorder.hosts("signed_in") & ADVERTISING_HOSTS == set()
    assert recorder.hosts("clinical") == set()
    for sent in recorder.third_party:
        for value in (sent["url"], sent["body"], sent["referer"]):
            seen = readable(value)
            assert not any(canary.lower() in seen for canary in canaries), sent
        assert sent["referer"] == ""


@pytest.mark.promise("RIGHTS-7")
def test_withdrawing_statistics_deletes_its_cookies_and_stops_its_requests(
    new_context: Any, integrations: None
) -> None:
    context, recorder = watched(new_context)
    page = context.new_page()
    page.goto("/")
    page.focus("#consent-banner button[value=accept_all]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    settle(page)
    assert "confide_an_id" in {c["name"] for c in context.cookies()}
    page.goto("/consent/cookies/")
    settle(page)
    page.uncheck("#consent-analytics")
    page.uncheck("#consent-targeting")
    with page.expect_navigation():
        page.click("button[value=custom]")
    settle(page)
    names = {c["name"] for c in context.cookies()}
    assert "confide_an_id" not in names
    recorder.third_party.clear()
    recorder.first_party.clear()
    page.goto("/")
    settle(page)
    assert recorder.third_party == []
    assert not any("/consent/analytics/collect/" in u for u in recorder.first_party)


@pytest.mark.promise("CONSENT-2")
@pytest.mark.promise("CONSENT-3")
def test_anonymous_visitor_who_accepted_everything_sends_nothing_from_care_pages(
    new_context: Any, integrations: None, asgi_server: Any
) -> None:
    """Reading the crisis page, the PHQ-9 step or a counselor's profile is itself health
    information: no page view from there leaves, and CSP is not widened for any vendor."""
    counselor = make_counselor(name="Ana Anxiety", languages=("en",), jurisdictions=("ES",))
    context, recorder = watched(new_context)
    page = context.new_page()
    page.goto("/")
    page.focus("#consent-banner button[value=accept_all]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    settle(page)
    page.goto("/privacy-policy/")
    settle(page)
    assert recorder.hosts("anonymous") == ANALYTICS_HOSTS | ADVERTISING_HOSTS  # the test sees

    recorder.phase = "care"
    vendor_origins = {f"https://{host}" for host in ANALYTICS_HOSTS | ADVERTISING_HOSTS}
    policies: list[str] = []
    page.on("response", lambda r: policies.append(r.headers.get("content-security-policy", "")))
    page.goto("/intake/")
    page.get_by_role("button", name="Start").click()
    page.get_by_label("Anxiety or worry").check()
    page.get_by_role("group", name=re.compile("Are you in danger")).get_by_label(
        "No", exact=True
    ).check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("English").check()
    for question, answer in (("particular gender", "No preference"), ("like to meet", "Video")):
        page.get_by_role("group", name=re.compile(question)).get_by_label(
            answer, exact=True
        ).check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("group", name=re.compile("Which country")).get_by_label(
        "Spain", exact=True
    ).check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_text("Step 4 of 5").wait_for()  # the PHQ-9 step
    settle(page)
    for path in ("/intake/crisis/", f"/counselors/{counselor.pk}/"):
        page.goto(path)
        settle(page)
    assert recorder.hosts("care") == set()
    assert policies and not any(origin in csp for csp in policies for origin in vendor_origins)
