"""Live chat in two real browsers (client and counselor): both directions over websockets,
then the client deletes one message and then all, and the counselor's view follows."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def signed_in(new_context: Any, asgi_server: Any, user: Any, **options: Any) -> Any:
    """A browser context carrying a session cookie for ``user`` (no sign-in UI involved)."""
    from django.test import Client

    web = Client()
    web.force_login(user)
    context = new_context(**options)
    context.add_cookies(
        [{"name": "sessionid", "value": web.cookies["sessionid"].value, "url": asgi_server.url}]
    )
    return context


@pytest.mark.promise("CARE-4")
@pytest.mark.promise("CARE-5")
def test_two_people_chat_live_and_the_client_deletes(
    new_context: Any, asgi_server: Any, client_user: Any, counselor: Any, care: Any, settings: Any
) -> None:
    from confide.messaging.services import conversation_for_care

    settings.MESSAGING_RATE_LIMIT = (1000, 10)
    url = reverse("messaging:conversation", args=[conversation_for_care(care).pk])
    ana = signed_in(new_context, asgi_server, client_user).new_page()
    carmen = signed_in(new_context, asgi_server, counselor).new_page()
    errors: list[str] = []
    for page in (ana, carmen):
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(url)
        page.wait_for_selector("#chat[data-state=live]")

    ana.fill("#id_body", "Hello Carmen, it is Ana.")
    ana.keyboard.press("Enter")
    carmen.locator("#message-list").get_by_text("Hello Carmen, it is Ana.").wait_for()
    assert ana.input_value("#id_body") == ""
    expect(ana.locator("#message-list li.mine .chat-read")).to_have_text("Read")  # read state

    carmen.fill("#id_body", "Hi Ana, good to hear from you.")
    assert carmen.locator("#message-list .chat-delete").count() == 0  # counselors cannot delete
    carmen.click("#send-button")
    ana.locator("#message-list").get_by_text("Hi Ana, good to hear from you.").wait_for()
    ana.fill("#id_body", "One more thing.")
    ana.keyboard.press("Enter")
    carmen.locator("#message-list").get_by_text("One more thing.").wait_for()
    assert carmen.locator("#message-list li").count() == 3

    first = ana.locator("#message-list li", has_text="Hello Carmen")
    first.get_by_role("button", name="Delete this message").click()
    carmen.locator("#message-list li", has_text="Hello Carmen").wait_for(state="detached")
    assert carmen.locator("#message-list li").count() == 2

    ana.locator("summary", has_text="Delete all messages").click()
    ana.get_by_role("button", name="Delete all messages for both of us").click()
    expect(carmen.locator("#message-list li")).to_have_count(0)
    assert ana.locator("#message-list li").count() == 0
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_chat_works_without_websockets(
    new_context: Any, asgi_server: Any, client_user: Any, counselor: Any, care: Any
) -> None:
    """With websockets blocked (a strict proxy), sending falls back to a plain form post and
    the other side's new messages arrive by polling."""
    from confide.messaging.services import conversation_for_care

    url = reverse("messaging:conversation", args=[conversation_for_care(care).pk])
    pages = []
    for user in (client_user, counselor):
        context = signed_in(new_context, asgi_server, user)
        context.add_init_script("window.WebSocket = function () { throw new Error('blocked'); };")
        page = context.new_page()
        page.goto(url)
        pages.append(page)
    ana, carmen = pages
    ana.fill("#id_body", "Sent by plain form post")
    ana.click("#send-button")
    ana.locator("#message-list").get_by_text("Sent by plain form post").wait_for()
    carmen.locator("#message-list").get_by_text("Sent by plain form post").wait_for(timeout=15_000)
    assert carmen.get_attribute("#chat", "data-state") == "offline"
