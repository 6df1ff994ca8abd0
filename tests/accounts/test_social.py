"""Google and Facebook sign-up (ACC-1): Google's verified email is trusted, Facebook's is not
(Facebook does not say an address is verified, so the person confirms it by e-mail); either way
the person still gives a birth date and accepts the policies (ACC-8, CONSENT-5). Uses allauth's
own flow with a provider response built in the test (no network)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.core.context import request_context
from allauth.socialaccount.helpers import complete_social_login
from allauth.socialaccount.models import SocialAccount
from allauth.socialaccount.providers import registry
from allauth.socialaccount.providers.facebook.provider import FacebookProvider
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


@pytest.fixture
def facebook(settings: Any) -> Iterator[None]:
    settings.SOCIALACCOUNT_PROVIDERS = {
        "facebook": {
            "APPS": [{"client_id": "test-id", "secret": "test-secret"}],
            "SCOPE": ["email"],
        }
    }
    registry.load()
    registry.register(FacebookProvider)
    yield
    registry.provider_map.pop(FacebookProvider.id, None)


def _google_login(client: Any, email: str) -> Any:
    return _provider_login(
        client,
        "google",
        {
            "sub": "108000000000000000001",
            "email": email,
            "email_verified": True,
            "given_name": "Gia",
            "family_name": "Google",
        },
    )


def _facebook_login(client: Any, email: str) -> Any:
    # What the Graph API's /me answers for the fields allauth asks, with only the email scope.
    return _provider_login(
        client,
        "facebook",
        {"id": "10160000000000001", "email": email, "first_name": "Fiona", "last_name": "Face"},
    )


def _provider_login(client: Any, provider_id: str, response_data: dict[str, Any]) -> Any:
    """Run allauth's completion step as the OAuth callback would, in ``client``'s session."""
    from allauth.socialaccount.adapter import get_adapter

    request = RequestFactory().get(f"/accounts/{provider_id}/login/callback/")
    SessionMiddleware(lambda r: HttpResponse()).process_request(request)
    MessageMiddleware(lambda r: HttpResponse()).process_request(request)
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    provider = get_adapter().get_provider(request, provider_id)
    sociallogin = provider.sociallogin_from_response(request, response_data)
    with request_context(request):  # as allauth's middleware sets it around a real callback
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


@pytest.mark.promise("ACC-1")
@pytest.mark.promise("CONSENT-5")
def test_facebook_sign_up_asks_for_birth_date_policies_and_a_confirmed_address(
    facebook: None, client: Client
) -> None:
    from confide.privacy.consent.models import PolicyAcceptance

    response = _facebook_login(client, "fiona@example.test")
    assert response["Location"] == reverse("socialaccount_signup")
    form_page = client.get(reverse("socialaccount_signup"))
    assert {"date_of_birth", "accept_terms"} <= set(form_page.context["form"].fields)
    refused = client.post(reverse("socialaccount_signup"), {"email": "fiona@example.test"})
    assert refused.status_code == 200 and not User.objects.exists()
    done = client.post(
        reverse("socialaccount_signup"),
        {"email": "fiona@example.test", "date_of_birth": "1990-04-05", "accept_terms": "on"},
    )
    user = User.objects.get(email="fiona@example.test")
    account = SocialAccount.objects.get(user=user, provider="facebook")
    assert account.uid == "10160000000000001"
    # Facebook's address is not taken as verified: the person confirms it by e-mail first.
    assert not EmailAddress.objects.get(user=user).verified
    assert done["Location"] == reverse("account_email_verification_sent")
    assert not user.has_usable_password()
    assert PolicyAcceptance.objects.filter(user=user).count() == 2
    # Once the address is confirmed, the same Facebook account signs the person straight in.
    EmailAddress.objects.filter(user=user).update(verified=True)
    client.logout()
    again = _facebook_login(client, "fiona@example.test")
    assert again["Location"] != reverse("socialaccount_signup")
    assert User.objects.count() == 1
    assert client.get(reverse("account_email")).wsgi_request.user == user


@pytest.mark.promise("ACC-8")
def test_facebook_sign_up_applies_the_age_rule(facebook: None, client: Client) -> None:
    _facebook_login(client, "young@example.test")
    response = client.post(
        reverse("socialaccount_signup"),
        {"email": "young@example.test", "date_of_birth": "2014-06-01", "accept_terms": "on"},
    )
    assert response.context["form"].under_age
    assert not User.objects.exists() and AgeTombstone.objects.count() == 1
