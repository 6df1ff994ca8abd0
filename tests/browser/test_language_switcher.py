"""The header language switcher for a signed-in person: the next page and every later visit are
in the chosen language, because the saved preference changes, not only the cookie."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from confide.accounts.models import User
from tests.factories import make_user

pytestmark = pytest.mark.browser


def _signed_in_context(new_context: Any, user: Any, base_url: str) -> Any:
    web = Client()
    web.force_login(user)
    context = new_context(locale="en-GB")
    session = web.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}])
    return context


def test_a_signed_in_client_switches_language_in_the_header(
    asgi_server: Any, new_context: Any
) -> None:
    user = make_user("client", nickname="Bea", language="en")
    context = _signed_in_context(new_context, user, asgi_server.url)
    page = context.new_page()
    page.goto("/dashboard/")
    page.get_by_role("heading", name="Welcome, Bea").wait_for()
    page.get_by_label("Language").select_option("es")
    with page.expect_navigation():
        page.get_by_role("button", name="Change").click()
    page.get_by_role("heading", name="Hola, Bea").wait_for()
    assert page.locator("html").get_attribute("lang") == "es"
    # It persists: the cookie gone, a later visit still opens in Spanish from the saved preference.
    context.clear_cookies(name=settings.LANGUAGE_COOKIE_NAME)
    page.goto("/account/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert User.objects.get(pk=user.pk).language == "es"
