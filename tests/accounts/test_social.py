"""Google sign-up (ACC-1): the provider's verified email is trusted, but the person still gives
a birth date and accepts the policies (ACC-8, CONSENT-5). Uses allauth's own flow with a
provider response built in the test (no network)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.helpers import complete_social_login
from allauth.socialaccount.models import SocialAccount
from allauth.socialaccount.providers import registry
from allauth.socialaccount.providers.google.provider import GoogleProvider
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from confide.accounts.models import AgeTombstone, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def google(settings: Any) -> Iterator[None]:
    settings.SOCIALACCOUNT_PROVIDERS = {
        "google": {"APPS": [{"client_id": "test-id", "secret": "test-secret"}]}
    }
    registry.load()
    registry.register(GoogleProvider)
    yield
    registry.provider_map.pop(GoogleProvider.id, None)


def _google_login(client: Any, email: str) -> Any:
    """Run allauth's completion step as the OAuth callback would, in ``client``'s session."""
    from allauth.socialaccount.adapter import get_adapter

    request = RequestFactory().get("/accounts/google/login/callback/")
    SessionMiddleware(lambda r: HttpResponse()).process_request(request)
    MessageMiddleware(lambda r: HttpResponse()).process_request(request)
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    provider = get_adapter().get_provider(request, "google")
    response_data = {
        "sub": "108000000000000000001",
        "email": email,
        "email_verified": True,
        "given_name": "Gia",
        "family_name": "Google",
    }
    sociallogin = provider.sociallogin_from_response(request, response_data)
    response = complete_social_login(request, sociallogin)
    request.session.save()
    client.cookies["sessionid"] = request.session.session_key
    return response


@pytest.mark.promise("ACC-1")
@pytest.mark.promise("CONSENT-5")
def test_google_sign_up_asks_for_birth_date_and_policies(google: None, client: Client) -> None:
    from confide.privacy.consent.models import PolicyAcceptance

    response = _google_login(client, "gia@example.test")
    assert response["Location"] == reverse("socialaccount_signup")
    form_page = client.get(reverse("socialaccount_signup"))
    assert {"date_of_birth", "accept_terms"} <= set(form_page.context["form"].fields)
    refused = client.post(reverse("socialaccount_signup"), {"email": "gia@example.test"})
    assert refused.status_code == 200 and not User.objects.exists()
    client.post(
        reverse("socialaccount_signup"),
        {"email": "gia@example.test", "date_of_birth": "1991-02-03", "accept_terms": "on"},
    )
    user = User.objects.get(email="gia@example.test")
    assert SocialAccount.objects.filter(user=user, provider="google").exists()
    assert EmailAddress.objects.get(user=user).verified
    assert not user.has_usable_password()
    assert PolicyAcceptance.objects.filter(user=user).count() == 2


@pytest.mark.promise("ACC-8")
def test_google_sign_up_applies_the_age_rule(google: None, client: Client) -> None:
    _google_login(client, "teen@example.test")
    response = client.post(
        reverse("socialaccount_signup"),
        {"email": "teen@example.test", "date_of_birth": "2015-01-01", "accept_terms": "on"},
    )
    assert response.context["form"].under_age and "116 111" in response.content.decode()
    assert not User.objects.exists() and AgeTombstone.objects.count() == 1
