"""Role enforcement on this issue's pages and the passkey rule for clinicians and staff
(ROLE-1, ACC-5)."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from confide.accounts.reauth import mark_recently_authenticated
from tests.factories import make_user

pytestmark = pytest.mark.django_db

OUR_PAGES = ["accounts:settings", "accounts:history"]
#: allauth's signed-in pages this issue relies on (security levels, sessions, email, password).
ALLAUTH_PAGES = [
    "mfa_index",
    "mfa_activate_totp",
    "mfa_add_webauthn",
    "usersessions_list",
    "account_email",
    "account_change_password",
]


@pytest.mark.promise("ROLE-1")
@pytest.mark.parametrize("name", OUR_PAGES + ALLAUTH_PAGES + ["accounts:block"])
def test_visitors_are_sent_to_sign_in(client: Any, name: str) -> None:
    url = reverse(name, args=[1]) if name == "accounts:block" else reverse(name)
    response = client.get(url)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


@pytest.mark.promise("ROLE-1")
@pytest.mark.parametrize("role", ["client", "counselor", "team_leader", "staff", "admin"])
def test_every_role_reaches_its_own_account_pages(client: Any, role: str) -> None:
    user = make_user(role, passkey=role != "client", first_name="Rae", last_name="Doe")
    client.force_login(user)
    for name in OUR_PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
    assert str(user.client_number) in client.get(reverse("accounts:settings")).content.decode()


@pytest.mark.promise("ROLE-1")
@pytest.mark.parametrize(
    "role,allowed",
    [
        ("client", False),
        ("counselor", False),
        ("team_leader", False),
        ("staff", True),
        ("admin", True),
    ],
)
def test_only_staff_and_admins_reach_the_block_page(client: Any, role: str, allowed: bool) -> None:
    target = make_user("client")
    client.force_login(make_user(role, passkey=role != "client"))
    response = client.get(reverse("accounts:block", args=[target.pk]))
    assert response.status_code == (200 if allowed else 403)


@pytest.mark.promise("ACC-5")
@pytest.mark.promise("ROLE-1")
@pytest.mark.parametrize("role", ["counselor", "team_leader", "staff", "admin"])
def test_without_a_passkey_only_enrolment_and_sign_out_are_reachable(
    client: Any, role: str
) -> None:
    user = make_user(role)
    client.force_login(user)
    for url in [
        reverse("core:dashboard"),
        reverse("accounts:settings"),
        reverse("mfa_index")[:-1] + "/totp/activate/",
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse(
            "mfa_add_webauthn"
        ), url
    assert client.post(reverse("accounts:settings"), {}).status_code == 403
    session = client.session
    mark_recently_authenticated(session, user)
    session.save()
    assert client.get(reverse("mfa_add_webauthn")).status_code == 200
    client.post(reverse("account_logout"))
    assert not client.get(reverse("core:dashboard")).wsgi_request.user.is_authenticated


@pytest.mark.promise("ACC-5")
def test_a_client_is_not_forced_to_enrol_a_passkey(client: Any) -> None:
    client.force_login(make_user("client"))
    assert client.get(reverse("core:dashboard")).status_code == 200


@pytest.mark.promise("ACC-5")
def test_a_clinician_with_a_passkey_gets_through(client: Any, counselor: Any) -> None:
    client.force_login(counselor)
    assert client.get(reverse("core:dashboard")).status_code == 200


def _remove(client: Any, user: Any, key: Any) -> Any:
    session = client.session
    mark_recently_authenticated(session, user)
    session.save()
    return client.post(reverse("mfa_remove_webauthn", args=[key.pk]))


@pytest.mark.promise("ACC-5")
def test_a_counselor_cannot_remove_their_last_passkey(client: Any, counselor: Any) -> None:
    client.force_login(counselor)
    key = Authenticator.objects.get(user=counselor)
    response = _remove(client, counselor, key)
    assert response["Location"] == reverse("mfa_list_webauthn")
    assert Authenticator.objects.filter(pk=key.pk).exists()


@pytest.mark.promise("ACC-5")
def test_a_counselor_may_remove_a_passkey_when_another_remains(client: Any, counselor: Any) -> None:
    spare = Authenticator.objects.create(
        user=counselor, type=Authenticator.Type.WEBAUTHN, data={"name": "Spare", "credential": {}}
    )
    client.force_login(counselor)
    _remove(client, counselor, spare)
    assert not Authenticator.objects.filter(pk=spare.pk).exists()
    assert Authenticator.objects.filter(user=counselor).count() == 1


@pytest.mark.promise("ACC-5")
def test_the_mfa_adapter_refuses_the_last_passkey_too(counselor: Any, client_user: Any) -> None:
    from confide.accounts.adapters import MFAAdapter

    key = Authenticator.objects.get(user=counselor)
    assert not MFAAdapter().can_delete_authenticator(key)
    own = Authenticator.objects.create(
        user=client_user, type=Authenticator.Type.WEBAUTHN, data={"name": "K", "credential": {}}
    )
    assert MFAAdapter().can_delete_authenticator(own)
