"""The account page, hashing, re-authentication helper and demo accounts."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from confide.accounts.models import User
from confide.audit.models import AuditEvent
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.promise("ACC-3")
def test_a_client_sets_nickname_language_and_time_zone(client: Any) -> None:
    user = make_user("client", nickname="Ana")
    client.force_login(user)
    response = client.post(
        reverse("accounts:settings"),
        {"language": "sv", "timezone": "Europe/Stockholm", "nickname": "Anita"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.language, user.timezone, user.display_name) == ("sv", "Europe/Stockholm", "Anita")
    assert AuditEvent.objects.filter(action="account.preferences_changed").exists()
    page = client.get(reverse("accounts:settings")).content.decode()
    assert 'lang="sv"' in page  # the saved language now drives the interface


def test_an_unknown_time_zone_is_refused(client: Any) -> None:
    user = make_user("client")
    client.force_login(user)
    response = client.post(
        reverse("accounts:settings"), {"language": "en", "timezone": "Mars/Base"}
    )
    assert response.status_code == 200 and "timezone" in response.context["form"].errors
    assert User.objects.get(pk=user.pk).timezone == ""


@pytest.mark.promise("ACC-3")
def _zone_groups(html: str) -> list[tuple[str, list[str]]]:
    """(group label, option values) for each <optgroup> of the time-zone <select>."""
    import re

    select = html[html.index('name="timezone"') :]
    select = select[: select.index("</select>")]
    return [
        (label, re.findall(r'<option value="([^"]+)"', body))
        for label, body in re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S)
    ]


def test_the_time_zone_picker_groups_canonical_zones_by_region_common_first(
    client: Any,
) -> None:
    client.force_login(make_user("client", language="en"))
    groups = _zone_groups(client.get(reverse("accounts:settings")).content.decode())
    labels = [label for label, _values in groups]
    assert labels[0] == "Common time zones" and {"Europe", "Americas", "Asia"} <= set(labels)
    values = [value for _label, group in groups for value in group]
    assert groups[0][1][:4] == [
        "Europe/Madrid",
        "Europe/Stockholm",
        "Europe/Tirane",
        "America/New_York",
    ]
    assert "Europe/Madrid" in dict(groups)["Common time zones"]
    assert not {"Factory", "GB-Eire", "US/Eastern", "Etc/GMT+3", "Zulu"} & set(values)
    assert len(values) == len(set(values)) and 380 < len(values) < 450
    europe = dict(groups)["Europe"]
    assert europe == sorted(europe) and "Europe/Paris" in europe


def test_a_saved_alias_zone_stays_selectable(client: Any) -> None:
    user = make_user("client", timezone="US/Eastern")
    client.force_login(user)
    html = client.get(reverse("accounts:settings")).content.decode()
    assert '<option value="US/Eastern" selected>' in html
    response = client.post(
        reverse("accounts:settings"), {"language": "en", "timezone": "Europe/Paris"}
    )
    assert response.status_code == 302


def test_clinicians_edit_their_real_name_not_a_nickname(client: Any, counselor: Any) -> None:
    client.force_login(counselor)
    form = client.get(reverse("accounts:settings")).context["form"]
    assert "first_name" in form.fields and "nickname" not in form.fields


@pytest.mark.promise("ACC-4")
def test_passwords_are_hashed_with_argon2id_at_or_above_owasp(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["confide.accounts.hashers.ConfideArgon2PasswordHasher"]
    encoded = make_password("a personal password")
    hasher = identify_hasher(encoded)
    assert encoded.startswith("argon2$argon2id$")
    params = hasher.decode(encoded)
    assert params["memory_cost"] >= 19456 and params["time_cost"] >= 2
    assert check_password("a personal password", encoded)
    assert not check_password("another password", encoded)


@pytest.mark.promise("ACC-4")
def test_common_and_short_passwords_are_refused(client: Any) -> None:
    from tests.accounts.helpers import signup_data

    for weak in ["password123", "short1A"]:
        data = signup_data(password1=weak, password2=weak)
        response = client.post(reverse("account_signup"), data)
        assert "password1" in response.context["form"].errors, weak
    assert not User.objects.exists()


@pytest.mark.promise("ACC-4")
def test_require_recent_reauth_sends_stale_sessions_to_reauthenticate(client: Any) -> None:
    from allauth.core.exceptions import ReauthenticationRequired

    from confide.accounts.reauth import mark_recently_authenticated, require_recent_reauth

    @require_recent_reauth
    def erase(request: HttpRequest) -> HttpResponse:
        return HttpResponse("erased")

    user = make_user("client")
    client.force_login(user)
    request = RequestFactory().post("/erase")
    request.user = user
    request.session = client.session
    with pytest.raises(ReauthenticationRequired):
        erase(request)
    mark_recently_authenticated(request.session, user)
    assert erase(request).content == b"erased"


@pytest.mark.promise("ACC-4")
def test_reauthentication_by_password_unlocks_sensitive_pages(client: Any) -> None:
    from tests.factories import PASSWORD

    user = make_user("client")
    client.force_login(user)
    target = reverse("mfa_activate_totp")
    assert client.get(target).status_code == 302
    client.post(reverse("account_reauthenticate") + f"?next={target}", {"password": PASSWORD})
    assert client.get(target).status_code == 200


def test_demo_seed_creates_one_account_per_role_and_is_idempotent() -> None:
    from confide.accounts import demo
    from confide.core.demo_accounts import DEMO_ACCOUNTS

    demo.seed()
    demo.seed()
    roles = sorted(User.objects.values_list("role", flat=True))
    assert roles == sorted(role for role, _, _ in DEMO_ACCOUNTS)
    admin = User.objects.get(role="admin")
    assert admin.is_superuser and admin.check_password(DEMO_ACCOUNTS[0][2])
