"""ACC-5 level 3 in a real browser with Chromium's virtual authenticator: a counselor sees client
data only once this sign-in used the passkey. Password + authenticator code is refused (sent to
confirm with the passkey), a trusted browser skips nothing, a passkey sign-in goes straight in."""

from __future__ import annotations

import re
import time
from typing import Any
from urllib.parse import urlparse

import pyotp
import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.internal.flows.trust import (
    IssuedTrust,
    create_config_fingerprint,
    encode_trust_cookie,
)
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from tests.browser.test_accounts_flows import _password_sign_in, _virtual_authenticator
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser


def _people() -> tuple[Any, Any, str]:
    from confide.matching.models import CareRelationship

    counselor = make_user(
        "counselor", email="vera.counselor@example.test", first_name="Vera", last_name="Holm"
    )
    person = make_user("client", email="ola.client@example.test", nickname="Ola")
    CareRelationship.objects.create(client=person, counselor=counselor)
    secret = generate_totp_secret()
    TOTP.activate(counselor, secret)
    return counselor, person, secret


def _totp_sign_in(page: Any, site: str, email: str, secret: str, window: int = 0) -> None:
    """``window=1``: the next 30-second code, since a used code cannot be replayed."""
    _password_sign_in(page, email, site=site)
    page.wait_for_url("**/2fa/authenticate/")
    page.get_by_label("Code").fill(pyotp.TOTP(secret).at(time.time() + 30 * window))
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(lambda url: "/2fa/authenticate/" not in url)
    assert "/2fa/trust/" not in page.url  # never offered for this role


def _enrol_passkey(page: Any, site: str) -> None:
    """The enrolment gate sends the counselor to add a passkey (after confirming the password),
    then the confirmation gate asks them to use it once."""
    page.goto(f"{site}/account/")
    if "/reauthenticate/" in page.url:
        page.locator("#id_password").fill(PASSWORD)
        page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/2fa/webauthn/add/**")
    page.get_by_label("Sign in with this key alone, without a password").check()
    page.get_by_role("button", name="Add").click()
    page.wait_for_url("**/2fa/webauthn/reauthenticate/**")


def _client_page(site: str, person: Any) -> str:
    return f"{site}/matching/clients/{person.pk}/"


@pytest.mark.promise("ACC-5")
def test_a_counselor_sees_client_data_only_after_using_the_passkey(
    new_context: Any, asgi_server: Any, settings: Any
) -> None:
    settings.MFA_TOTP_TOLERANCE = 1  # lets the second sign-in use the next window's code
    _counselor, person, secret = _people()
    site = asgi_server.url.replace("127.0.0.1", "localhost")  # a WebAuthn RP must be a name
    context = new_context()
    page = context.new_page()
    _virtual_authenticator(context, page)
    _totp_sign_in(page, site, "vera.counselor@example.test", secret)
    _enrol_passkey(page, site)
    page.get_by_role("button", name="Sign out").click()

    # Password + authenticator code: signed in, but client data waits for the passkey.
    _totp_sign_in(page, site, "vera.counselor@example.test", secret, window=1)
    page.goto(_client_page(site, person))
    page.wait_for_url("**/2fa/webauthn/reauthenticate/**")
    assert page.get_by_text("requires signing in with your passkey").is_visible()
    assert page.get_by_role("heading", name="Ola").count() == 0
    page.get_by_role("button", name=re.compile("security key", re.I)).click()
    page.wait_for_url(_client_page(site, person))
    assert page.get_by_role("heading", name="Ola").is_visible()
    page.get_by_role("button", name="Sign out").click()

    # A passkey sign-in goes straight through.
    page.goto(f"{site}/accounts/login/")
    page.get_by_role("button", name="Sign in with a passkey").click()
    page.wait_for_url("**/dashboard/")
    page.goto(_client_page(site, person))
    assert page.get_by_role("heading", name="Ola").is_visible()


@pytest.mark.promise("ACC-5")
def test_a_trusted_browser_does_not_let_a_counselor_in_with_the_password_alone(
    new_context: Any, asgi_server: Any
) -> None:
    counselor, person, _secret = _people()
    trust = IssuedTrust(fingerprint=create_config_fingerprint(counselor), at=int(time.time()))
    context = new_context()
    context.add_cookies(
        [
            {
                "name": mfa_settings.TRUST_COOKIE_NAME,
                "value": encode_trust_cookie([trust]),
                "url": asgi_server.url,
            }
        ]
    )
    page = context.new_page()
    _password_sign_in(page, counselor.email)
    page.wait_for_url("**/2fa/authenticate/")
    page.goto(f"/matching/clients/{person.pk}/")
    assert urlparse(page.url).path != f"/matching/clients/{person.pk}/"
    assert page.get_by_role("heading", name="Two-Factor Authentication").is_visible()
    assert page.get_by_role("heading", name="Ola").count() == 0
