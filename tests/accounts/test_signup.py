"""Sign-up: verified email, policy acceptance, names per preset, no enumeration (ACC-1/3/4,
CONSENT-5, ROLE-1)."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from confide.accounts.models import User
from tests.accounts.helpers import last_code, signup_data
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _signup(client: Any, **overrides: Any) -> Any:
    return client.post(reverse("account_signup"), signup_data(**overrides))


@pytest.mark.promise("ACC-1")
@pytest.mark.promise("CONSENT-5")
def test_sign_up_verifies_the_email_by_code_then_signs_in(client: Any) -> None:
    from confide.privacy.consent.models import PolicyAcceptance

    response = _signup(client)
    assert response["Location"] == reverse("account_email_verification_sent")
    assert not client.get(reverse("core:dashboard")).wsgi_request.user.is_authenticated
    response = client.post(response["Location"], {"code": last_code("new.person@example.test")})
    assert response["Location"] == reverse("core:dashboard")
    user = User.objects.get(email="new.person@example.test")
    assert client.get(reverse("core:dashboard")).wsgi_request.user == user
    assert EmailAddress.objects.get(user=user).verified
    assert user.role == "client" and user.nickname == "Nova"
    assert user.date_of_birth is not None and user.client_number > 0
    kinds = set(PolicyAcceptance.objects.filter(user=user).values_list("kind", flat=True))
    assert kinds == {"privacy", "terms"}


@pytest.mark.promise("ACC-1")
def test_a_wrong_verification_code_does_not_sign_in(client: Any) -> None:
    response = _signup(client)
    client.post(response["Location"], {"code": "ZZZZ-ZZZZ"})
    assert not client.get(reverse("core:dashboard")).wsgi_request.user.is_authenticated


@pytest.mark.promise("CONSENT-5")
def test_sign_up_without_accepting_the_policies_is_refused(client: Any) -> None:
    response = _signup(client, accept_terms=None)
    assert response.status_code == 200
    assert "accept_terms" in response.context["form"].errors
    assert not User.objects.exists()


@pytest.mark.promise("CONSENT-5")
def test_marketing_is_separate_and_unticked(client: Any) -> None:
    from confide.privacy.consent.models import MarketingGrant

    page = client.get(reverse("account_signup")).content.decode()
    assert reverse("consent:policy", args=["terms"]) in page
    assert reverse("consent:policy", args=["privacy"]) in page
    assert 'name="marketing"' in page and "checked" not in page.split('name="marketing"')[1][:80]
    _signup(client, email="quiet@example.test")
    _signup(Client(), email="keen@example.test", marketing="on")
    granted = set(MarketingGrant.objects.values_list("user__email", flat=True))
    assert granted == {"keen@example.test"}


@pytest.mark.promise("ACC-4")
def test_sign_up_with_a_taken_email_looks_the_same(client: Any, settings: Any) -> None:
    make_user("client", email="taken@example.test")
    fresh = _signup(client, email="fresh@example.test")
    client.logout()
    taken = _signup(client, email="taken@example.test")
    assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"])
    assert User.objects.filter(email="taken@example.test").count() == 1
    # The owner of the taken address is told by email instead of the visitor.
    assert any("taken@example.test" in m.to for m in mail.outbox)


@pytest.mark.promise("ACC-3")
def test_nickname_preset_asks_for_a_nickname_and_shows_it(client: Any) -> None:
    form = client.get(reverse("account_signup")).context["form"]
    assert "nickname" in form.fields and "first_name" not in form.fields
    client.post(reverse("account_signup"), signup_data(nickname="Luna"))
    assert User.objects.get().display_name == "Luna"


def test_after_sign_up_the_welcome_names_the_nickname_not_the_client_number(
    client: Any,
) -> None:
    from django.contrib.messages import get_messages

    sent = _signup(client)
    response = client.post(sent["Location"], {"code": last_code("new.person@example.test")})
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    user = User.objects.get(email="new.person@example.test")
    assert any("Nova" in text for text in shown), shown
    assert not any(str(user.client_number) in text for text in shown), shown


@pytest.mark.promise("ACC-3")
def test_real_name_preset_requires_the_real_name(client: Any, settings: Any) -> None:
    settings.CONFIDE_PRESET = "eu_se"
    form = client.get(reverse("account_signup")).context["form"]
    assert form.fields["first_name"].required and "nickname" not in form.fields
    missing = client.post(reverse("account_signup"), signup_data(nickname=None))
    assert "first_name" in missing.context["form"].errors
    client.post(
        reverse("account_signup"),
        signup_data(nickname=None, first_name="Astrid", last_name="Lund"),
    )
    assert User.objects.get().display_name == "Astrid Lund"


@pytest.mark.promise("ACC-3")
def test_counselors_always_show_their_real_name() -> None:
    counselor = make_user("counselor", first_name="Carmen", last_name="Ruiz", nickname="Cari")
    assert counselor.display_name == "Carmen Ruiz"


@pytest.mark.promise("ACC-1")
def test_social_sign_in_is_hidden_without_client_ids(client: Any) -> None:
    page = client.get(reverse("account_login")).content.decode()
    assert "google" not in page.lower() and "facebook" not in page.lower()


@pytest.mark.promise("ACC-1")
def test_changing_the_email_needs_the_new_address_verified(client: Any) -> None:
    from confide.accounts.reauth import mark_recently_authenticated

    user = make_user("client", email="old@example.test")
    client.force_login(user)
    session = client.session
    mark_recently_authenticated(session, user)
    session.save()
    client.post(reverse("account_email"), {"action_add": "", "email": "new@example.test"})
    user.refresh_from_db()
    assert user.email == "old@example.test"  # nothing changes before verification
    assert any("new@example.test" in m.to for m in mail.outbox)
    client.post(reverse("account_email_verification_sent"), {"code": last_code("new@example.test")})
    user.refresh_from_db()
    assert user.email == "new@example.test"
    assert EmailAddress.objects.get(user=user, email="new@example.test").verified
