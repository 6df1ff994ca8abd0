"""The Django admin shows no client data and no secret, to anyone (issue 13.3).

The policy lives in ``confide/core/admin_policy.py``; who may open the admin at all is checked for
every role in ``tests/test_route_matrix.py``.
"""

from __future__ import annotations

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from confide.audit.models import AuditEvent
from confide.core.admin_policy import ALLOWED, REMOVED, unreviewed_models
from tests.factories import PASSWORD, make_user

TOTP_SECRET = "TOTPCANARYSECRET7Q"
RECOVERY_SEED = "recoverycanaryseed0f3a9"
PASSKEY_CREDENTIAL = "passkeycanarycredential"
CLIENT_IP = "203.0.113.77"
CLIENT_AGENT = "CanaryBrowser/9.9"


def test_every_registered_admin_model_was_reviewed() -> None:
    assert unreviewed_models(admin.site) == [], (
        "Admin models nobody reviewed: add each to ALLOWED in confide/core/admin_policy.py "
        "with why it shows no personal data and no secret, or to REMOVED."
    )
    assert not set(ALLOWED) & set(REMOVED)


def test_an_unreviewed_admin_model_is_caught() -> None:
    admin.site.register(EmailAddress)
    try:
        assert "account.emailaddress" in unreviewed_models(admin.site)
    finally:
        admin.site.unregister(EmailAddress)


@pytest.fixture
def planted(client_user: Any, counselor: Any) -> Any:
    """A client with every kind of secret and every trace the sign-in apps keep, and a
    counselor whose passkey carries credential data."""
    Authenticator.objects.create(
        user=client_user, type=Authenticator.Type.TOTP, data={"secret": TOTP_SECRET}
    )
    Authenticator.objects.create(
        user=client_user,
        type=Authenticator.Type.RECOVERY_CODES,
        data={"seed": RECOVERY_SEED, "used_mask": 0},
    )
    Authenticator.objects.filter(user__role="counselor").update(
        data={"name": "Key", "credential": {"id": PASSKEY_CREDENTIAL}, "passwordless": True}
    )
    UserSession.objects.create(
        user=client_user, session_key="canarysessionkey", ip=CLIENT_IP, user_agent=CLIENT_AGENT
    )
    Group.objects.create(name="Reviewers")
    return client_user


def _admin_pages(browser: Client) -> dict[str, str]:
    """Every page of the admin a signed-in person can open, by URL."""
    urls = ["/admin/", "/admin/auth/"]
    for model in admin.site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        urls += [base, f"{base}add/"]
        for pk in model._default_manager.values_list("pk", flat=True):
            urls += [f"{base}{pk}/change/", f"{base}{pk}/history/", f"{base}{pk}/delete/"]
    for label in REMOVED:
        app_label, model_name = label.split(".")
        urls += [f"/admin/{app_label}/", f"/admin/{app_label}/{model_name}/"]
    return {url: browser.get(url).content.decode() for url in urls}


def _every_permission(user: Any) -> Any:
    user.user_permissions.set(Permission.objects.all())
    return user


@pytest.mark.promise("LOG-4")
@pytest.mark.promise("INTAKE-5")
@pytest.mark.parametrize("who", ["staff", "superuser"])
def test_no_admin_page_shows_a_secret_or_a_client_address(
    planted: Any, counselor: Any, staff_user: Any, who: str
) -> None:
    if who == "staff":
        actor = _every_permission(staff_user)
    else:
        actor = make_user("admin", passkey=True, is_staff=True, is_superuser=True)
    browser = Client()
    browser.force_login(actor)
    pages = _admin_pages(browser)
    assert "Reviewers" in pages["/admin/auth/group/"]  # the admin works: this is no empty crawl
    markers = [planted.email, TOTP_SECRET, RECOVERY_SEED, PASSKEY_CREDENTIAL, CLIENT_IP]
    markers += [CLIENT_AGENT, counselor.email]
    leaks = [
        f"{marker} on {url}" for url, html in pages.items() for marker in markers if marker in html
    ]
    assert not leaks


@pytest.mark.parametrize("label", sorted(REMOVED))
def test_removed_admin_pages_are_gone_for_the_superuser(db: Any, label: str) -> None:
    superuser = make_user("admin", passkey=True, is_staff=True, is_superuser=True)
    browser = Client()
    browser.force_login(superuser)
    app_label, model_name = label.split(".")
    assert browser.get(f"/admin/{app_label}/{model_name}/").status_code == 404


@pytest.mark.promise("ACC-5")
def test_the_admin_never_signs_anyone_in_with_a_password_alone(staff_user: Any) -> None:
    browser = Client()
    page = browser.get("/admin/login/?next=/admin/auth/group/")
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("account_login"))
    assert "next=/admin/auth/group/" in page["Location"]
    browser.post("/admin/login/", {"username": staff_user.email, "password": PASSWORD})
    assert "_auth_user_id" not in browser.session


def test_admin_password_change_goes_through_allauth(staff_user: Any) -> None:
    browser = Client()
    browser.force_login(staff_user)
    response = browser.get("/admin/password_change/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_change_password")


@pytest.mark.promise("LOG-4")
def test_changes_made_in_the_admin_are_audited(staff_user: Any) -> None:
    superuser = make_user("admin", passkey=True, is_staff=True, is_superuser=True)
    browser = Client()
    browser.force_login(superuser)
    response = browser.post("/admin/auth/group/add/", {"name": "Auditors", "permissions": []})
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action="admin.add").latest("seq")
    assert event.actor_id == superuser.pk
    assert event.details["model"] == "auth.group"
