"""Account pages and emails in every language, Albanian included (allauth ships no sq)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

SIGN_IN = {"en": "Sign In", "es": "Iniciar sesión", "sv": "Logga in", "sq": "Hyni"}
CREATE = {
    "en": "Create your account",
    "es": "Crea tu cuenta",
    "sv": "Skapa ditt konto",
    "sq": "Krijoni llogarinë tuaj",
}
CODE_SUBJECT = {"en": "Sign-In Code", "es": "Código", "sv": "kod", "sq": "Kodi i hyrjes"}
NEVER_ASK = {
    "en": "never ask for your password",
    "es": "nunca te pedirá tu contraseña",
    "sv": "ber aldrig om ditt lösenord",
    "sq": "nuk do t'ju kërkojë kurrë fjalëkalimin",
}


@pytest.mark.parametrize("language", list(SIGN_IN))
def test_sign_in_and_sign_up_pages_are_translated(client: Any, language: str) -> None:
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    login = client.get(reverse("account_login"), **headers).content.decode()
    assert f'<html lang="{language}">' in login and SIGN_IN[language] in login
    signup = client.get(reverse("account_signup"), **headers).content.decode()
    assert CREATE[language] in signup


@pytest.mark.promise("ACC-7")
@pytest.mark.parametrize("language", list(SIGN_IN))
def test_the_sign_in_code_email_is_translated_and_warns(client: Any, language: str) -> None:
    user = make_user("client", language=language)
    client.post(
        reverse("account_login"),
        {"login": user.email, "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    message = mail.outbox[-1]
    assert CODE_SUBJECT[language].lower() in message.subject.lower()
    assert NEVER_ASK[language] in str(message.body)


def test_the_header_switcher_saves_a_signed_in_persons_language(client: Any) -> None:
    user = make_user("client", language="en")
    client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "sv", "next": "/dashboard/"})
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    user.refresh_from_db()
    assert user.language == "sv"
    # The saved preference, not only the cookie, now drives the interface.
    client.cookies.clear()
    client.force_login(user)
    assert '<html lang="sv">' in client.get(reverse("accounts:settings")).content.decode()


def test_the_header_switcher_ignores_a_language_the_site_does_not_offer(client: Any) -> None:
    user = make_user("client", language="es")
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "de", "next": "/dashboard/"})
    user.refresh_from_db()
    assert user.language == "es"


def test_the_header_switcher_still_works_for_visitors(client: Any) -> None:
    response = client.post(reverse("set_language"), {"language": "sq", "next": "/"})
    assert response.status_code == 302
    assert '<html lang="sq">' in client.get("/").content.decode()


@pytest.mark.promise("ACC-7")
def test_the_sign_in_code_goes_out_in_the_recipients_language_not_the_browsers(
    client: Any,
) -> None:
    counselor = make_user("counselor", language="es")
    client.post(
        reverse("account_login"),
        {"login": counselor.email, "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    message = mail.outbox[-1]
    assert CODE_SUBJECT["es"].lower() in message.subject.lower()
    assert NEVER_ASK["es"] in str(message.body)


@pytest.mark.parametrize(
    ("language", "name_label", "passwordless_label"),
    [
        ("es", "Nombre de esta llave", "Iniciar sesión solo con esta llave, sin contraseña"),
        ("sv", "Namn på nyckeln", "Logga in med bara den här nyckeln, utan lösenord"),
        ("sq", "Emri i këtij çelësi", "Hyni vetëm me këtë çelës, pa fjalëkalim"),
    ],
)
def test_the_passkey_form_is_labelled_in_every_language(
    client: Any, language: str, name_label: str, passwordless_label: str
) -> None:
    from confide.accounts.reauth import mark_recently_authenticated

    user = make_user("counselor", language=language)
    client.force_login(user)
    session = client.session
    mark_recently_authenticated(session, user)
    session.save()
    page = client.get(reverse("mfa_add_webauthn")).content.decode()
    assert name_label in page and passwordless_label in page
    assert "Name:" not in page and "Passwordless:" not in page
