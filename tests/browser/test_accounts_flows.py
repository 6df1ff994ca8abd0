"""Accounts in a real browser: sign-up with an emailed code, a counselor forced to enrol a
passkey (Chromium's virtual authenticator) who then signs in with it, a client moving to an
authenticator app, and a keyboard-only sign-up."""

from __future__ import annotations

import re
import time
from typing import Any

import pyotp
import pytest

from tests.accounts.helpers import last_code
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser


def _fill_signup(page: Any, email: str) -> None:
    page.goto("/accounts/signup/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Nickname").fill("Nova")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_label("Date of birth").fill("1990-05-05")
    page.get_by_label("I have read and accept").check()


def _enter_code(page: Any, email: str) -> None:
    page.get_by_label("Code").fill(last_code(email))
    page.get_by_role("button", name=re.compile("Confirm|Sign In|Verify", re.I)).first.click()


def _skip_trust(page: Any) -> None:
    if "/2fa/trust/" in page.url:
        page.get_by_role("button", name=re.compile("Don't Trust", re.I)).click()


def _password_sign_in(page: Any, email: str, site: str = "") -> None:
    page.goto(f"{site}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()


@pytest.mark.promise("ACC-1")
@pytest.mark.promise("CONSENT-5")
def test_sign_up_with_an_emailed_code(page: Any) -> None:
    _fill_signup(page, "browser.new@example.test")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/accounts/confirm-email/")
    _enter_code(page, "browser.new@example.test")
    page.wait_for_url("**/dashboard/")
    assert page.get_by_role("button", name="Sign out").is_visible()


@pytest.mark.promise("ACC-1")
def test_sign_up_by_keyboard_only(page: Any) -> None:
    page.goto("/accounts/signup/")
    page.keyboard.press("Tab")  # the skip link comes first and takes us to the form
    _tab_to(page, "id_email")
    page.keyboard.type("keys.only@example.test")
    for field, value in [
        ("id_nickname", "Kay"),
        ("id_password1", PASSWORD),
        ("id_password2", PASSWORD),
    ]:
        _tab_to(page, field)
        page.keyboard.type(value)
    _tab_to(page, "id_date_of_birth")
    page.keyboard.type("05051990")  # the date input takes digits segment by segment
    _tab_to(page, "id_accept_terms")
    page.keyboard.press("Space")
    assert page.locator("#id_accept_terms").is_checked()
    assert not page.locator("#id_marketing").is_checked()
    page.keyboard.press("Enter")  # submits the form
    page.wait_for_url("**/accounts/confirm-email/")
    _tab_to(page, "id_code")
    page.keyboard.type(last_code("keys.only@example.test"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/dashboard/")


def _tab_to(page: Any, element_id: str, limit: int = 40) -> None:
    """Press Tab until the element has focus, as a keyboard user would; fail if unreachable."""
    for _ in range(limit):
        if page.evaluate("() => document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"#{element_id} is not reachable by keyboard")


def _virtual_authenticator(context: Any, page: Any) -> Any:
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp


@pytest.mark.promise("ACC-5")
@pytest.mark.promise("ROLE-1")
def test_a_counselor_must_enrol_a_passkey_then_signs_in_with_it(
    new_context: Any, asgi_server: Any
) -> None:
    make_user("counselor", email="cora.counselor@example.test", first_name="Cora", last_name="Lind")
    # A WebAuthn relying party must be a domain name, never an IP address: use "localhost".
    site = asgi_server.url.replace("127.0.0.1", "localhost")
    context = new_context()
    page = context.new_page()
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _virtual_authenticator(context, page)
    _password_sign_in(page, "cora.counselor@example.test", site=site)
    page.wait_for_url("**/login/code/confirm/")
    _enter_code(page, "cora.counselor@example.test")
    _skip_trust(page)
    # Anything but enrolment leads back to it; allauth first asks to confirm the password.
    page.goto(f"{site}/account/")
    if "/reauthenticate/" in page.url:
        page.locator("#id_password").fill(PASSWORD)
        page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/2fa/webauthn/add/**")
    page.get_by_label("Sign in with this key alone, without a password").check()
    page.get_by_role("button", name="Add").click()
    # Enrolled, but this sign-in did not use the passkey yet: it is asked for once (ACC-5).
    page.wait_for_url("**/2fa/webauthn/reauthenticate/**")
    page.get_by_role("button", name=re.compile("security key", re.I)).click()
    page.wait_for_url(lambda url: "/reauthenticate/" not in url)
    assert not errors and not missing, (errors, missing)
    page.goto(f"{site}/account/")
    assert page.get_by_role("heading", name="Your account").is_visible()
    assert "Level 3" in page.locator("#security-level").inner_text()
    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{site}/accounts/login/")
    page.get_by_role("button", name="Sign in with a passkey").click()
    page.wait_for_url("**/dashboard/")
    assert page.get_by_role("button", name="Sign out").is_visible()


@pytest.mark.promise("ACC-5")
def test_a_client_switches_to_an_authenticator_app(new_context: Any, settings: Any) -> None:
    settings.MFA_TOTP_TOLERANCE = 1  # lets the test use the next window's code, not a replay
    make_user("client", email="tia.client@example.test", nickname="Tia")
    page = new_context().new_page()
    _password_sign_in(page, "tia.client@example.test")
    page.wait_for_url("**/login/code/confirm/")
    _enter_code(page, "tia.client@example.test")
    _skip_trust(page)
    page.goto("/accounts/2fa/totp/activate/")
    if "/reauthenticate/" in page.url:
        page.locator("#id_password").fill(PASSWORD)
        page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/2fa/totp/activate/")
    secret = page.get_by_label("Authenticator secret").input_value()
    totp = pyotp.TOTP(secret)
    page.get_by_label("Authenticator code").fill(totp.now())
    page.get_by_role("button", name="Activate").click()
    page.wait_for_url(lambda url: "/totp/activate/" not in url)
    page.goto("/account/")
    assert "Level 2" in page.locator("#security-level").inner_text()
    page.get_by_role("button", name="Sign out").click()
    _password_sign_in(page, "tia.client@example.test")
    page.wait_for_url("**/2fa/authenticate/")
    page.get_by_label("Code").fill(totp.at(time.time() + 30))
    page.get_by_role("button", name="Sign In").click()
    _skip_trust(page)
    page.wait_for_url("**/dashboard/")
