"""Static files and /favicon.ico through the real ASGI application, as `make run` serves them:
the right bytes, and no warning from Django's ASGI handler about streaming."""

from __future__ import annotations

import asyncio
import warnings
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def asgi_get(path: str) -> tuple[int, dict[str, str], bytes, list[str]]:
    """One GET through ``confide.asgi.application``; returns status, headers, body, warnings."""
    from confide.asgi import application

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [(b"host", b"localhost")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    sent: list[dict[str, Any]] = []
    requests = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive() -> dict[str, Any]:
        if requests:
            return requests.pop()
        await asyncio.Event().wait()  # the client stays connected until the response is sent
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        asyncio.run(application(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    headers = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], headers, body, [str(w.message) for w in caught]


@pytest.mark.django_db(transaction=True)
def test_static_files_are_served_under_asgi_without_a_streaming_warning() -> None:
    status, headers, body, caught = asgi_get("/static/core/confide.css")
    assert status == 200 and "text/css" in headers["content-type"]
    assert body == (ROOT / "confide/core/static/core/confide.css").read_bytes()
    assert not [w for w in caught if "StreamingHttpResponse" in w], caught


@pytest.mark.django_db(transaction=True)
def test_favicon_is_a_real_icon_on_every_page() -> None:
    status, headers, body, _caught = asgi_get("/favicon.ico")
    assert status == 200
    assert headers["content-type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert body[:4] == b"\x00\x00\x01\x00"  # the ICO signature: an icon, not an error page
