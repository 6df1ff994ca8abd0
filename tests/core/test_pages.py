from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings
from django.urls import path

from confide import urls as root_urls
from tests.factories import make_user


def _boom(request: Any) -> Any:
    raise RuntimeError("internal detail: secret-table-name")


urlpatterns = [path("boom/", _boom), *root_urls.urlpatterns]
handler500 = "confide.core.views.error_500"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Talk to a licensed counselor, privately."),
        ("es", "Habla con un consejero titulado, en privado."),
        ("sv", "Prata med en legitimerad samtalsterapeut, privat."),
        ("sq", "Bisedo privatisht me një këshilltar të licencuar."),
    ],
)
@pytest.mark.promise("POLICY-3")
def test_home_page_speaks_four_languages(client: Any, language: str, text: str) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert text in html


@pytest.mark.django_db
def test_the_language_switcher_remembers_the_choice(client: Any) -> None:
    response = client.post("/i18n/setlang/", {"language": "sv", "next": "/"})
    assert response.status_code == 302
    assert '<html lang="sv">' in client.get("/").content.decode()


@pytest.mark.django_db
def test_a_signed_in_users_language_wins_over_the_browser(client: Any) -> None:
    client.force_login(make_user("client", language="sq"))
    html = client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="sq">' in html


@pytest.mark.django_db
def test_not_found_page_is_helpful_and_in_the_layout(client: Any) -> None:
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 404
    html = response.content.decode()
    assert "No encontramos esa página" in html
    assert 'href="#main"' in html


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_server_error_page_reveals_nothing_internal(client: Any) -> None:
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "secret-table-name" not in html and "Traceback" not in html
    assert "Something went wrong on our side" in html


@pytest.mark.django_db
def test_csrf_failure_page_explains_what_to_do(client: Any) -> None:
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/i18n/setlang/", {"language": "es"})
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


@pytest.mark.django_db
def test_healthz_reports_each_dependency_without_personal_data(client: Any) -> None:
    make_user("client", email="private.person@example.test")
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["channel_layer"] == "ok"
    assert body["checks"]["task_queue"] in {"inline", "ok"}
    assert "example.test" not in response.content.decode()


@pytest.mark.django_db
def test_dashboard_needs_sign_in(client: Any) -> None:
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_outbox_is_for_staff_only(client: Any, settings: Any) -> None:
    settings.DEBUG = True
    client.force_login(make_user("client"))
    assert client.get("/dev/outbox/").status_code == 403
    client.force_login(make_user("staff", is_staff=True, passkey=True))
    assert client.get("/dev/outbox/").status_code == 200


@pytest.mark.django_db
def test_the_home_page_links_counselors_to_the_application(client: Any) -> None:
    from django.urls import reverse

    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    section = html[html.index('id="counselors-title"') :]
    assert f'href="{reverse("counselors:apply")}"' in section
    assert client.get(reverse("counselors:apply")).status_code == 200
