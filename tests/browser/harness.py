"""Browser harness: a real ASGI server (HTTP + websockets, as in production) in a thread, and
Playwright pages driving Debian's Chromium. Never downloads a browser."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "reports" / "screenshots"


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail(
            "Chromium is not installed. `make test` installs Debian's chromium with apt when run "
            "as root; otherwise install it (apt-get install chromium) or set CHROMIUM_PATH.",
            pytrace=False,
        )
    return path


class AsgiServer:
    """uvicorn serving confide.asgi in a background thread on a free port."""

    def __init__(self) -> None:
        import uvicorn

        from confide.asgi import application

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        config = uvicorn.Config(
            application,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="off",
            ws="websockets-sansio",
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the test ASGI server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        from django.db import connections

        connections.close_all()


@pytest.fixture
def asgi_server(transactional_db: Any, settings: Any) -> Iterator[AsgiServer]:
    """Replaces pytest-django's WSGI live server: ours serves websockets too."""
    server = AsgiServer()
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    settings.SITE_URL = server.url
    server.start()
    yield server
    server.stop()


# Module scope, not session: while Playwright's sync API runs, its event loop counts as running in
# this thread, and every later async_to_sync() in the same worker (websocket consumer tests) fails.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS
        )
        yield instance
        instance.close()


@pytest.fixture
def new_context(
    browser: Any, asgi_server: AsgiServer, request: pytest.FixtureRequest
) -> Iterator[Any]:
    """Factory for isolated browser contexts (one per person in a multi-user test)."""
    contexts: list[Any] = []

    def make(locale: str = "en-GB", **options: Any) -> Any:
        context = browser.new_context(base_url=asgi_server.url, locale=locale, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for index, context in enumerate(contexts):
            for number, page in enumerate(context.pages):
                name = f"{request.node.name}-{index}-{number}.png"
                with contextlib.suppress(Exception):  # a screenshot is best effort
                    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context: Any) -> Any:
    return new_context().new_page()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Any:
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
