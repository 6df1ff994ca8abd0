"""ACC-5, the lost-passkey path: staff verify the person, give a reason, and reset their passkeys;
the act is audited, the person is told and signed out, and their next sign-in enrols a new one."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from confide.accounts.models import SignInEvent, SignInRecord
from confide.accounts.passkeys import reset_passkeys_after_verification
from confide.audit.models import AuditEvent
from tests.accounts.helpers import password_then_code
from tests.factories import make_user

pytestmark = pytest.mark.django_db

REASON = "Lost her phone with the passkey; verified on a video call"


def _passkeys(user: Any) -> int:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.WEBAUTHN).count()


def _reset_page(client: Client, user: Any) -> str:
    return reverse("accounts:passkey_reset", args=[user.pk])


@pytest.mark.promise("ACC-5")
@pytest.mark.promise("LOG-4")
def test_staff_reset_a_lost_passkey_after_verifying_the_person(
    client: Any, staff_user: Any, counselor: Any
) -> None:
    lost_device = Client()
    lost_device.force_login(counselor)
    assert lost_device.get(reverse("core:dashboard")).status_code == 200  # a session in use
    client.force_login(staff_user)
    assert client.get(_reset_page(client, counselor)).status_code == 200
    response = client.post(
        _reset_page(client, counselor), {"verified_by": "video_call", "reason": REASON}
    )
    assert response.status_code == 302
    assert _passkeys(counselor) == 0
    event = AuditEvent.objects.get(action="account.passkeys_reset")
    assert (event.actor_id, event.subject_id, event.reason) == (
        staff_user.pk,
        counselor.pk,
        REASON,
    )
    assert event.details == {"verified_by": "video_call", "removed": 1}
    assert SignInRecord.objects.filter(
        user=counselor, event=SignInEvent.FACTOR_REMOVED, method="webauthn"
    ).exists()
    notice = mail.outbox[-1]
    assert notice.to == [counselor.email] and "add a new passkey" in str(notice.body)
    # The session on the lost device ends: it cannot be the one that enrols the next passkey.
    assert not lost_device.get(reverse("core:dashboard")).wsgi_request.user.is_authenticated


@pytest.mark.promise("ACC-5")
def test_after_a_reset_the_next_sign_in_leads_to_enrolment(staff_user: Any, counselor: Any) -> None:
    reset_passkeys_after_verification(staff_user, counselor, verified_by="in_person", reason=REASON)
    web = Client()
    final = password_then_code(web, counselor.email)
    assert final["Location"] != reverse("mfa_trust")
    dashboard = web.get(reverse("core:dashboard"))
    assert dashboard.status_code == 302 and dashboard["Location"] == reverse("mfa_add_webauthn")


@pytest.mark.promise("ACC-5")
def test_without_a_reset_a_counselor_cannot_add_a_passkey_from_a_totp_session(
    counselor: Any,
) -> None:
    """The lost-passkey path goes through staff: a password + TOTP session reaches neither client
    data nor enrolment of a new key (which would need only a password re-authentication)."""
    import pyotp
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from tests.factories import PASSWORD

    secret = generate_totp_secret()
    TOTP.activate(counselor, secret)
    web = Client()
    web.post(reverse("account_login"), {"login": counselor.email, "password": PASSWORD})
    web.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(secret).now()})
    assert web.get(reverse("core:dashboard")).wsgi_request.user == counselor
    page = web.get(reverse("mfa_add_webauthn"))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("mfa_reauthenticate_webauthn"))


@pytest.mark.parametrize(
    ("actor_role", "target_role"),
    [("staff", "staff"), ("staff", "admin"), ("staff", "client"), ("counselor", "counselor")],
)
def test_who_may_not_reset_whose_passkeys(actor_role: str, target_role: str) -> None:
    actor = make_user(actor_role, passkey=True)
    target = make_user(target_role, passkey=True)
    with pytest.raises(PermissionDenied):
        reset_passkeys_after_verification(actor, target, verified_by="in_person", reason=REASON)
    assert _passkeys(target) == 1
    assert not AuditEvent.objects.filter(action="account.passkeys_reset").exists()


def test_nobody_resets_their_own_passkeys_and_admins_reset_staff(staff_user: Any) -> None:
    admin = make_user("admin", passkey=True)
    with pytest.raises(PermissionDenied):
        reset_passkeys_after_verification(admin, admin, verified_by="in_person", reason=REASON)
    reset_passkeys_after_verification(admin, staff_user, verified_by="call_back", reason=REASON)
    assert _passkeys(staff_user) == 0


def test_the_page_refuses_a_reset_it_does_not_allow(client: Any, staff_user: Any) -> None:
    other_staff = make_user("staff", passkey=True)
    client.force_login(staff_user)
    response = client.post(
        _reset_page(client, other_staff), {"verified_by": "video_call", "reason": REASON}
    )
    assert response.status_code == 403
    assert _passkeys(other_staff) == 1


def test_a_reason_and_a_verification_method_are_required(
    client: Any, staff_user: Any, counselor: Any
) -> None:
    client.force_login(staff_user)
    for data in ({"verified_by": "video_call", "reason": "short"}, {"reason": REASON}):
        response = client.post(_reset_page(client, counselor), data)
        assert response.status_code == 200 and response.context["form"].errors
    assert _passkeys(counselor) == 1


def test_counselors_cannot_open_the_reset_page(client: Any, counselor: Any) -> None:
    other = make_user("counselor", passkey=True)
    client.force_login(counselor)
    assert client.get(_reset_page(client, other)).status_code == 403
