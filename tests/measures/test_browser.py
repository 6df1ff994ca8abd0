"""The client's path in a real browser: the due PHQ-9 from "My care", the crisis panel at once on
a positive item 9, intake's crisis page, back to "My care" with the chart, and not one request
to another origin nor a Content Security Policy complaint on the way."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.test import Client

from confide.intake.models import CrisisFlag
from confide.matching.models import CareRelationship
from confide.measures.models import MeasureResult
from tests.factories import make_user
from tests.measures.helpers import schedule

pytestmark = pytest.mark.browser


def _signed_in(new_context: Any, user: Any, base_url: str) -> Any:
    web = Client()
    web.force_login(user)
    context = new_context(locale="en-GB")
    session = web.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}])
    return context


@pytest.mark.promise("INTAKE-1")
def test_a_client_fills_a_due_phq9_and_meets_the_crisis_path(
    asgi_server: Any, new_context: Any
) -> None:
    client_user = make_user("client", nickname="Ines", timezone="Europe/Madrid")
    counselor = make_user("counselor", passkey=True)
    CareRelationship.objects.create(client=client_user, counselor=counselor)
    schedule(counselor, client_user)
    page = _signed_in(new_context, client_user, asgi_server.url).new_page()
    own = urlparse(asgi_server.url).netloc
    foreign: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: foreign.append(r.url) if urlparse(r.url).netloc != own else None)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto("/care/")
    page.get_by_role("link", name="PHQ-9 (mood)").click()
    for n in range(1, 9):
        page.locator(f'input[name="phq9_{n}"][value="1"]').check()
    assert page.locator("#crisis-panel").is_hidden()
    page.locator('input[name="phq9_9"][value="1"]').check()
    page.locator("#crisis-panel").wait_for(state="visible")  # at once, before sending
    with page.expect_navigation():
        page.get_by_role("button", name="Save my answers").click()
    page.get_by_role("heading", name="Help is available now").wait_for()
    assert CrisisFlag.objects.filter(client=client_user, source="phq9_item9").exists()
    with page.expect_navigation():
        page.get_by_role("link", name="Continue").click()
    chart = page.get_by_role("img", name="PHQ-9 (mood) scores over time")
    chart.wait_for()
    assert page.locator("table caption").first.inner_text().startswith("PHQ-9")
    assert MeasureResult.objects.filter(client=client_user).count() == 1
    assert not foreign, foreign
    assert not [e for e in errors if "Content Security Policy" in e], errors
