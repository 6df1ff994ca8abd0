"""Right after `seed_demo`, a newcomer can try a call: the address the banner prints opens the
demo session for the demo client and the demo counselor (after enrolling a passkey), and the two
browsers connect peer to peer with media, with Chromium's fake camera and microphone."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.test import Client

from confide.core.demo_accounts import demo_user
from confide.core.management.commands.serve import banner_lines
from tests.browser.test_sessions_video import wait_for_media

pytestmark = pytest.mark.browser


def signed_in_at(new_context: Any, site: str, user: Any) -> Any:
    """A context with ``user``'s session cookie for ``site`` (the banner's localhost address)."""
    web = Client()
    web.force_login(user)
    context = new_context(permissions=["camera", "microphone"])
    context.add_cookies(
        [{"name": "sessionid", "value": web.cookies["sessionid"].value, "url": site}]
    )
    return context


def test_the_demo_session_is_joinable_right_after_seeding(
    new_context: Any, asgi_server: Any
) -> None:
    call_command("seed_demo", stdout=io.StringIO())
    banner = "\n".join(banner_lines("127.0.0.1", asgi_server.port, ["web"]))
    room_url = re.search(r"http://localhost:\d+/sessions/[0-9a-f-]+/", banner)
    assert room_url, banner
    site = f"http://localhost:{asgi_server.port}"
    counselor = demo_user("counselor")
    # The banner's first step for every staff-side account: enrol a passkey at localhost.
    Authenticator.objects.create(
        user=counselor, type=Authenticator.Type.WEBAUTHN, data={"name": "Key", "credential": {}}
    )
    pages = []
    for user in (demo_user("client"), counselor):
        page = signed_in_at(new_context, site, user).new_page()
        page.goto(room_url.group(0))
        page.wait_for_selector("#room[data-call-state=ready]")
        page.click("#join-video")  # the demo accounts speak the preset's language
        pages.append(page)
    for page in pages:
        wait_for_media(page)
