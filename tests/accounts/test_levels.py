"""Security levels (ACC-5): 1 emailed code, 2 TOTP with recovery codes, 3 passkey."""

from __future__ import annotations

from typing import Any

import pyotp
import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from confide.accounts import services
from confide.accounts.models import SignInEvent, SignInRecord
from confide.audit.models import AuditEvent
from tests.accounts.helpers import last_code, password_then_code
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def _signed_in(client: Any) -> bool:
    return bool(client.get(reverse("core:dashboard")).wsgi_request.user.is_authenticated)


def _with_totp(user: Any) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


@pytest.mark.promise("ACC-5")
def test_level_one_asks_for_an_emailed_code_after_the_password(client: Any) -> None:
    user = make_user("client")
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("account_confirm_login_code")
    assert not _signed_in(client)
    message = mail.outbox[-1]
    assert "never ask for your password" in str(message.body)
    client.post(reverse("account_confirm_login_code"), {"code": last_code(user.email)})
    client.post(reverse("mfa_trust"), {"action": "skip"})
    assert _signed_in(client)
    assert services.security_level(user) == 1


@pytest.mark.promise("ACC-5")
def test_a_trusted_browser_is_not_asked_again_but_a_new_one_is(client: Any) -> None:
    user = make_user("client")
    password_then_code(client, user.email, trust=True)
    client.post(reverse("account_logout"))
    again = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert again["Location"] == reverse("core:dashboard")
    other_device = Client()
    first = other_device.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert first["Location"] == reverse("account_confirm_login_code")


@pytest.mark.promise("ACC-5")
def test_an_emailed_code_expires_after_ten_minutes(client: Any) -> None:
    user = make_user("client")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
        code = last_code(user.email)
        traveller.shift(10 * 60 + 5)
        client.post(reverse("account_confirm_login_code"), {"code": code})
    assert not _signed_in(client)


@pytest.mark.promise("ACC-5")
def test_an_emailed_code_is_single_use_and_wrong_codes_are_limited(client: Any) -> None:
    user = make_user("client")
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    code = last_code(user.email)
    for _ in range(3):
        client.post(reverse("account_confirm_login_code"), {"code": "AAAA-AAAA"})
    client.post(reverse("account_confirm_login_code"), {"code": code})
    assert not _signed_in(client)  # three wrong tries spent the code
    assert SignInRecord.objects.filter(user=user, event=SignInEvent.FAILED, method="code").exists()


@pytest.mark.promise("ACC-5")
def test_level_two_signs_in_with_an_authenticator_app_code(client: Any) -> None:
    user = make_user("client")
    secret = _with_totp(user)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    client.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(secret).now()})
    client.post(reverse("mfa_trust"), {"action": "skip"})
    assert _signed_in(client)
    assert services.security_level(user) == 2


@pytest.mark.promise("ACC-5")
def test_a_totp_code_cannot_be_replayed(client: Any) -> None:
    user = make_user("client")
    secret = _with_totp(user)
    code = pyotp.TOTP(secret).now()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": code})
    client.post(reverse("mfa_trust"), {"action": "skip"})
    assert _signed_in(client)
    attacker = Client()
    attacker.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    replay = attacker.post(reverse("mfa_authenticate"), {"code": code})
    assert replay.status_code == 200 and replay.context["form"].errors
    assert not _signed_in(attacker)


@pytest.mark.promise("ACC-5")
def test_a_recovery_code_works_once(client: Any) -> None:
    user = make_user("client")
    _with_totp(user)
    code = RecoveryCodes.activate(user).get_unused_codes()[0]
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": code})
    client.post(reverse("mfa_trust"), {"action": "skip"})
    assert _signed_in(client)
    second = Client()
    second.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    again = second.post(reverse("mfa_authenticate"), {"code": code})
    assert again.status_code == 200 and again.context["form"].errors
    assert not _signed_in(second)


@pytest.mark.promise("ACC-5")
@pytest.mark.promise("ACC-7")
@pytest.mark.promise("LOG-3")
@pytest.mark.django_db(transaction=True)
def test_enrolling_a_factor_notifies_records_and_audits(client: Any) -> None:
    from confide.accounts.reauth import mark_recently_authenticated

    user = make_user("client", email="totp@example.test")
    client.force_login(user)
    session = client.session
    mark_recently_authenticated(session, user)
    session.save()
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    # allauth notifies on commit: a transactional test lets that run as in production.
    client.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()})
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert SignInRecord.objects.filter(user=user, event=SignInEvent.FACTOR_ADDED).exists()
    assert AuditEvent.objects.filter(action="account.factor_added", subject_id=user.pk).exists()
    notice = [m for m in mail.outbox if "totp@example.test" in m.to][-1]
    assert "never ask for your password" in str(notice.body)
    assert secret not in str(notice.body)


@pytest.mark.promise("ACC-4")
def test_changing_factors_requires_recent_reauthentication(client: Any) -> None:
    user = make_user("client")
    client.force_login(user)
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert reverse("account_reauthenticate") in response["Location"]
