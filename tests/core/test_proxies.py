"""Forwarded headers (issue 13.5): X-Forwarded-For counts only from a configured proxy, in the
app (rate limits, sign-in records) and in the server command `manage.py serve` starts."""

from __future__ import annotations

from typing import Any

import pytest
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
