"""SHARE-1 in the browser: every request the pages of a client's journey make, intercepted
(``page.route``), goes to this site or to a recipient declared for the browser side, and no
canary personal data reaches any of them. Every integration is enabled and every cookie category
accepted, so the test sees the most the pages could send. A planted leak shows the check bites."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest
from django.test import Client

from confide.matching.models import CareRelationship
from confide.messaging.models import Message
from confide.messaging.services import conversation_for_care
from confide.privacy.recipients import declared_recipients, is_local
from tests.browser.test_consent_tracking import integrations as integrations  # fixture
from tests.browser.test_consent_tracking import readable
from tests.factories import make_user
from tests.outbound import judge

pytestmark = pytest.mark.browser

EMAIL = "wrenna.share1b@example.test"
CANARIES = {EMAIL: "contact", "Wrennabel": "identity", "+34622333444": "contact"}
MESSAGE = "the orchard gate squeaks at night"
CANARIES[MESSAGE] = "content"


@pytest.mark.promise("SHARE-1")
def test_the_journey_pages_talk_only_to_declared_recipients(
    new_context: Any,
    integrations: None,
    asgi_server: Any,
) -> None:
    client = make_user("client", email=EMAIL, nickname="Wrennabel", phone="+34622333444")
    counselor = make_user("counselor", passkey=True, first_name="Cora")
    care = CareRelationship.objects.create(client=client, counselor=counselor)
    conversation = conversation_for_care(care)
    # Stored directly: sending would publish on the channel layer from Playwright's event loop.
    Message.objects.create(conversation=conversation, sender=client, body=MESSAGE)
    sent: list[tuple[str, str]] = []

    def handle(route: Any) -> None:
        request = route.request
        host = urlparse(request.url).hostname or ""
        if is_local(host):
            route.continue_()
            return
        sent.append((host, f"{request.url}\n{request.post_data or ''}"))
        route.fulfill(status=200, body="")

    context = new_context()
    context.route("**/*", handle)
    page = context.new_page()
    page.goto("/")
    page.locator("#consent-banner button[value=accept_all]").click()
    page.wait_for_load_state("networkidle")
    signed_in = Client()
    signed_in.force_login(client)
    cookie = signed_in.cookies["sessionid"].value
    context.add_cookies([{"name": "sessionid", "value": cookie, "url": asgi_server.url}])
    shown = ""
    for path in (
        "/dashboard/",
        "/intake/",
        "/matching/mine/",
        "/schedule/",
        f"/messages/{conversation.pk}/",
        "/privacy/",
        "/privacy/profile/",
        "/privacy-policy/",
    ):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        shown += page.content()
    assert "Wrennabel" in shown and MESSAGE in shown  # the pages did hold canaries
    assert sent, "with every category accepted, some vendor must have been called"
    recipients = declared_recipients()
    for host, text in sent:
        assert judge(host, "browser", readable(text), CANARIES, recipients) == []

    # A careless tag sending the e-mail address elsewhere is caught by the same judgement (as a
    # navigation: our CSP would block a script's request before it even left).
    page.goto(f"https://tags.leaky.example/p?e={EMAIL}")
    host, text = sent[-1]
    caught = judge(host, "browser", readable(text), CANARIES, recipients)
    assert host == "tags.leaky.example" and caught and EMAIL in caught[0]
