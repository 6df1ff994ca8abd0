"""Forwarded headers (issue 13.5): X-Forwarded-For counts only from a configured proxy, in the
app (rate limits, sign-in records) and in the server command `manage.py serve` starts."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from confide.accounts.models import SignInEvent, SignInRecord
from confide.core.management.commands.serve import service_commands
from tests.accounts.helpers import password_then_code
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _signed_in_from(**extra: Any) -> str | None:
    user = make_user("client")
    password_then_code(Client(), user.email, **extra)
    return SignInRecord.objects.get(user=user, event=SignInEvent.SIGNED_IN).ip_address


@pytest.mark.promise("LOG-3")
def test_a_local_client_cannot_choose_its_address() -> None:
    recorded = _signed_in_from(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert recorded == "127.0.0.1"


@pytest.mark.promise("LOG-3")
def test_a_trusted_proxy_is_believed_about_the_client_behind_it(settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    recorded = _signed_in_from(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert recorded == "198.51.100.7"


def test_what_the_client_wrote_before_the_proxy_is_ignored(settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.2", "10.9.0.0/16"]
    # The client sent "203.0.113.1"; the outer proxy appended the real address, the inner one
    # appended the outer proxy.
    forwarded = "203.0.113.1, 198.51.100.7, 10.9.0.5"
    recorded = _signed_in_from(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert recorded == "198.51.100.7"


def test_spoofed_addresses_do_not_escape_the_per_ip_sign_in_limit() -> None:
    user = make_user("client")
    url = reverse("account_login")
    for attempt in range(20):  # login_failed: 20/m/ip
        spoofed = f"198.51.100.{attempt}"
        data = {"login": f"{attempt}-{user.email}", "password": "wrong-password-1"}
        Client().post(url, data, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=spoofed)
    refused = Client().post(
        url,
        {"login": user.email, "password": "wrong-password-1"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="192.0.2.200",
    )
    assert "Too many failed" in refused.content.decode()


def test_the_server_ignores_forwarded_headers_unless_proxies_are_configured(
    settings: Any,
) -> None:
    web = service_commands("127.0.0.1", 8000)["web"]
    assert "--no-proxy-headers" in web and "--forwarded-allow-ips" not in web
    settings.TRUSTED_PROXIES = ["10.0.0.2/32", "fd00::/8"]
    web = service_commands("127.0.0.1", 8000)["web"]
    assert web[web.index("--forwarded-allow-ips") + 1] == "10.0.0.2/32,fd00::/8"
    assert "--proxy-headers" in web


def test_a_malformed_proxy_list_stops_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    from confide import env

    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.1, proxy.internal")
    with pytest.raises(env.ConfigError, match="TRUSTED_PROXIES must list IP addresses"):
        env.env_networks("TRUSTED_PROXIES")
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.1, 192.168.0.0/16")
    assert env.env_networks("TRUSTED_PROXIES") == ["10.0.0.1/32", "192.168.0.0/16"]


def _scheme_seen(settings: Any, peer: str) -> bool:
    """Whether a request from ``peer`` claiming HTTPS through X-Forwarded-Proto counts as secure,
    with production's SECURE_PROXY_SSL_HEADER."""
    from django.http import HttpRequest

    from confide.core.middleware import ForwardedHeadersMiddleware

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    request = HttpRequest()
    request.META = {"REMOTE_ADDR": peer, "HTTP_X_FORWARDED_PROTO": "https", "SERVER_NAME": "x"}
    seen: list[bool] = []
    ForwardedHeadersMiddleware(lambda r: seen.append(r.is_secure()) or HttpResponse())(request)
    return seen[0]


def test_a_client_cannot_claim_https_through_a_forwarded_header(settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert _scheme_seen(settings, "203.0.113.9") is False
    assert _scheme_seen(settings, "10.0.0.2") is True


def test_the_forwarded_header_guard_runs_before_anything_reads_the_scheme(settings: Any) -> None:
    from django.conf import settings as live

    assert live.MIDDLEWARE[0] == "confide.core.middleware.ForwardedHeadersMiddleware"
    # Behind no configured proxy, a request over the real stack that claims HTTPS is plain HTTP:
    # production would redirect it to HTTPS rather than serve it as secure.
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get("/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 301 and response["Location"].startswith("https://")
