"""The home page in a real browser, in each language, with its security headers."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

HEADLINES = {
    "en-GB": "Talk to a licensed counselor, privately.",
    "es-ES": "Habla con un consejero titulado, en privado.",
    "sv-SE": "Prata med en legitimerad samtalsterapeut, privat.",
    "sq-AL": "Bisedo privatisht me një këshilltar të licencuar.",
}


@pytest.mark.promise("POLICY-3")
@pytest.mark.parametrize("locale", list(HEADLINES))
def test_home_page_in_each_language(new_context: Any, locale: str) -> None:
    page = new_context(locale=locale).new_page()
    response = page.goto("/")
    assert response is not None and response.status == 200
    assert page.locator("h1").inner_text() == HEADLINES[locale]
    assert page.locator("html").get_attribute("lang") == locale.split("-")[0]
    headers = response.headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-content-type-options"] == "nosniff"
    assert "camera=()" in headers["permissions-policy"]


def test_language_switcher_works_by_keyboard(page: Any) -> None:
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.select_option("#language-select", "es")
    page.locator("#language-select").focus()
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == HEADLINES["es-ES"]
    assert not [e for e in errors if "Content Security Policy" in e], errors
