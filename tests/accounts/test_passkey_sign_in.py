"""ACC-5 level 3: counselors, team leaders (and staff) see nothing until *this* sign-in used a
passkey. Password, emailed code, TOTP, recovery codes and trusted browsers never count for them."""

from __future__ import annotations

import time
from typing import Any

import pyotp
import pytest
from allauth.account.internal.flows import login as login_flows
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.internal.flows.trust import (
    IssuedTrust,
    create_config_fingerprint,
    encode_trust_cookie,
)
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.urls import reverse

from confide.accounts.passkeys import confirmation_required, signed_in_with_passkey
from tests.accounts.helpers import password_then_code, record_passkey_step
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def _session_with(user: Any, *records: dict[str, Any]) -> SessionStore:
    session = SessionStore()
    session[login_flows.AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"at": time.time(), **record} for record in records
    ]
    session[login_flows._AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    return session


def _key(user: Any) -> Authenticator:
    return Authenticator.objects.get(user=user, type=Authenticator.Type.WEBAUTHN)


def _trusted_browser(client: Client, user: Any) -> None:
    """The cookie allauth sets when someone ticks "trust this browser" (valid 30 days)."""
    trust = IssuedTrust(fingerprint=create_config_fingerprint(user), at=int(time.time()))
    client.cookies[mfa_settings.TRUST_COOKIE_NAME] = encode_trust_cookie([trust])


def _sign_in_with_totp(client: Client, user: Any, secret: str) -> Any:
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    return client.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(secret).now()})


def _client_page(client: Any, client_id: int) -> Any:
    return client.get(reverse("matching:client_detail", args=[client_id]))


# --- The session record check ---------------------------------------------------------------------
@pytest.mark.promise("ACC-5")
def test_a_passkey_step_in_the_session_counts(counselor: Any) -> None:
    session = _session_with(
        counselor,
        {"method": "password", "email": counselor.email},
        {"method": "mfa", "type": "webauthn", "id": _key(counselor).pk},
    )
    assert signed_in_with_passkey(session, counselor)
    assert not confirmation_required(session, counselor)


@pytest.mark.promise("ACC-5")
@pytest.mark.parametrize(
    "steps",
    [
        [],
        [{"method": "password"}],
        [{"method": "password"}, {"method": "code"}],
        [{"method": "password"}, {"method": "mfa", "type": "totp", "id": 1}],
        [{"method": "password"}, {"method": "mfa", "type": "recovery_codes", "id": 1}],
        [{"method": "password", "reauthenticated": True}],
        [{"method": "mfa", "type": "totp", "id": 1, "reauthenticated": True}],
    ],
    ids=[
        "nothing",
        "password",
        "emailed-code",
        "totp",
        "recovery-code",
        "reauth-password",
        "reauth-totp",
    ],
)
def test_no_other_step_counts(counselor: Any, steps: list[dict[str, Any]]) -> None:
    session = _session_with(counselor, *steps)
    assert not signed_in_with_passkey(session, counselor)
    assert confirmation_required(session, counselor)


@pytest.mark.promise("ACC-5")
def test_a_passkey_removed_since_no_longer_vouches_for_the_session(counselor: Any) -> None:
    used = _key(counselor)
    session = _session_with(counselor, {"method": "mfa", "type": "webauthn", "id": used.pk})
    Authenticator.objects.create(
        user=counselor, type=Authenticator.Type.WEBAUTHN, data={"name": "New key"}
    )
    used.delete()
    assert not signed_in_with_passkey(session, counselor)


@pytest.mark.promise("ACC-5")
def test_someone_elses_passkey_step_does_not_count(counselor: Any, other_counselor: Any) -> None:
    # Records written for another user (a session that changed hands) are ignored by allauth.
    session = _session_with(
        other_counselor, {"method": "mfa", "type": "webauthn", "id": _key(other_counselor).pk}
    )
    assert not signed_in_with_passkey(session, counselor)
    session = _session_with(
        counselor, {"method": "mfa", "type": "webauthn", "id": _key(other_counselor).pk}
    )
    assert not signed_in_with_passkey(session, counselor)


@pytest.mark.promise("ACC-5")
@pytest.mark.parametrize("role", ["counselor", "team_leader", "staff", "admin"])
def test_every_passkey_role_must_confirm(role: str) -> None:
    person = make_user(role, passkey=True)
    totp = {"method": "mfa", "type": "totp", "id": 1}
    assert confirmation_required(_session_with(person, {"method": "password"}, totp), person)
    passkey = {"method": "mfa", "type": "webauthn", "id": _key(person).pk}
    assert not confirmation_required(_session_with(person, passkey), person)


def test_clients_are_never_asked_to_confirm_with_a_passkey(client_user: Any) -> None:
    assert not confirmation_required(
        _session_with(client_user, {"method": "password"}), client_user
    )


# --- Through the real sign-in --------------------------------------------------------------------
@pytest.mark.promise("ACC-5")
def test_a_counselor_signed_in_with_totp_is_refused_client_data(
    client_user: Any, care: Any
) -> None:
    counselor = care.counselor
    secret = generate_totp_secret()
    TOTP.activate(counselor, secret)
    web = Client()
    _sign_in_with_totp(web, counselor, secret)
    assert web.get(reverse("core:dashboard")).wsgi_request.user == counselor
    page = _client_page(web, client_user.pk)
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("mfa_reauthenticate_webauthn"))
    assert "next=" in page["Location"]
    for url_name in ("matching:clients", "core:dashboard", "accounts:settings", "mfa_add_webauthn"):
        assert web.get(reverse(url_name)).status_code == 302, url_name
    posted = web.post(reverse("matching:flag_seen", args=[client_user.pk]))
    assert posted.status_code == 403
    # The same session after a passkey step is let through.
    session = web.session
    record_passkey_step(session, counselor)
    session.save()
    assert _client_page(web, client_user.pk).status_code == 200


@pytest.mark.promise("ACC-5")
def test_a_recovery_code_does_not_open_client_data(client_user: Any, care: Any) -> None:
    counselor = care.counselor
    TOTP.activate(counselor, generate_totp_secret())
    code = RecoveryCodes.activate(counselor).get_unused_codes()[0]
    web = Client()
    web.post(reverse("account_login"), {"login": counselor.email, "password": PASSWORD})
    web.post(reverse("mfa_authenticate"), {"code": code})
    assert web.get(reverse("core:dashboard")).wsgi_request.user == counselor
    assert _client_page(web, client_user.pk).status_code == 302


@pytest.mark.promise("ACC-5")
def test_a_trusted_browser_does_not_skip_the_second_factor_for_a_counselor(counselor: Any) -> None:
    web = Client()
    _trusted_browser(web, counselor)
    response = web.post(reverse("account_login"), {"login": counselor.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert not web.get(reverse("core:dashboard")).wsgi_request.user.is_authenticated


def test_the_same_trust_cookie_still_works_for_a_client() -> None:
    # The control for the test above: the forged cookie is one allauth honours.
    person = make_user("client")
    secret = generate_totp_secret()
    TOTP.activate(person, secret)
    web = Client()
    _trusted_browser(web, person)
    response = web.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    assert response["Location"] == reverse("core:dashboard")


@pytest.mark.promise("ACC-5")
@pytest.mark.parametrize("role", ["counselor", "team_leader"])
def test_trust_is_neither_offered_nor_honoured_for_clinicians_without_a_passkey(role: str) -> None:
    person = make_user(role)
    web = Client()
    _trusted_browser(web, person)
    response = web.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    assert response["Location"] == reverse("account_confirm_login_code")  # cookie ignored
    web.cookies.pop(mfa_settings.TRUST_COOKIE_NAME)
    final = password_then_code(Client(), person.email)
    assert final["Location"] != reverse("mfa_trust")  # never asked "trust this browser?"


def test_a_client_is_still_offered_trust(client_user: Any) -> None:
    web = Client()
    web.post(reverse("account_login"), {"login": client_user.email, "password": PASSWORD})
    from tests.accounts.helpers import last_code

    response = web.post(
        reverse("account_confirm_login_code"), {"code": last_code(client_user.email)}
    )
    assert response["Location"] == reverse("mfa_trust")
