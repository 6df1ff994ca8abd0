"""Every page carries the security baseline (issue 2, KEEP-3)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import make_user


def plain_paths() -> list[str]:
    """Every URL pattern of ours that takes no arguments."""
    found: list[str] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for pattern in patterns:
            route = str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + route)
            elif isinstance(pattern, URLPattern) and "<" not in route and "(?P" not in route:
                path = "/" + (prefix + route).lstrip("^").rstrip("$").replace("\\Z", "")
                if path.startswith("/admin/") or "\\" in path or "^" in path:
                    continue
                found.append(path)

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


def assert_baseline(response: Any, path: str) -> None:
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff", path
    assert headers["Referrer-Policy"] == "same-origin", path
    assert headers["X-Frame-Options"] == "DENY", path
    csp = headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in csp, path
    assert "script-src 'self'" in csp and "unsafe-" not in csp, path
    policy = headers["Permissions-Policy"]
    assert "geolocation=()" in policy, path
    assert "camera=()" in policy and "microphone=()" in policy, path
    assert "Strict-Transport-Security" in headers, path


@pytest.mark.promise("KEEP-3")
@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True])
def test_every_page_sends_the_security_headers(client: Any, signed_in: bool) -> None:
    if signed_in:
        client.force_login(make_user("client"))
    paths = plain_paths()
    assert "/" in paths and "/healthz" in paths
    for path in paths:
        response = client.get(path, secure=True)
        assert_baseline(response, path)


@pytest.mark.django_db
def test_pages_have_no_inline_scripts(client: Any) -> None:
    html = client.get("/", secure=True).content.decode()
    for chunk in html.split("<script")[1:]:
        tag = chunk.split(">", 1)[0]
        assert "src=" in tag and "nonce=" in tag


@pytest.mark.django_db
def test_signed_in_pages_are_not_cached(client: Any) -> None:
    client.force_login(make_user("client"))
    response = client.get("/dashboard/", secure=True)
    assert response.headers["Cache-Control"] == "private, no-store"


def _policy_without_nonce(response: Any) -> dict[str, set[str]]:
    """Directive -> sources, minus the per-response nonce (a page without inline code has none)."""
    header = response.headers.get("Content-Security-Policy", "")
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {d[0]: {s for s in d[1:] if not re.match(r"'nonce-", s)} for d in directives}


@pytest.mark.promise("KEEP-3")
@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("path", ["/no-such-page/", "/static/no-such-file.css"])
def test_not_found_pages_carry_the_same_policy_as_other_pages(
    client: Any, settings: Any, debug: bool, path: str
) -> None:
    # The embedded default runs with DEBUG on, where django-csp alone sends 404s bare.
    settings.DEBUG = debug
    expected = _policy_without_nonce(client.get("/", secure=True))
    response = client.get(path, secure=True)
    assert response.status_code == 404
    assert expected and _policy_without_nonce(response) == expected
