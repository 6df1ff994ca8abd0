"""The shared fixture kit: settings for tests, named personas, the promise marker's report,
an ASGI live server and a Playwright page driving Debian's Chromium."""

from __future__ import annotations

import json
import os
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from tests.factories import make_user

# Playwright's sync API runs an event loop in the test thread, which Django would otherwise take
# for async code touching the ORM (read at call time, so setting it here is early enough).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytest_plugins = ["tests.browser.harness", "tests.canary"]

REPORT = Path(__file__).resolve().parent.parent / "reports" / "promises.json"


# --- Test settings ------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def _test_settings(settings: Any, tmp_path: Path) -> None:
    settings.OUTBOX_DIR = tmp_path / "outbox"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture(autouse=True)
def _fresh_caches() -> Any:
    from channels.layers import channel_layers
    from django.core.cache import cache
    from django.utils import translation

    from confide.core import sms
    from confide.privacy.crypto import forget_cached_keys

    cache.clear()
    sms.sent.clear()
    forget_cached_keys()
    # A channel layer binds its receive lock to the event loop that first received on it; each
    # test (and each test server) runs its own loop, so each test gets fresh layer instances.
    channel_layers.backends.clear()
    # Middleware activates a language per request and Django never resets the thread's choice:
    # without this, one test's Albanian page would leak into the next test's assertions.
    translation.activate("en")
    yield
    translation.deactivate()
    cache.clear()


@pytest.fixture(autouse=True)
def _force_login_stands_for_a_passkey_sign_in(monkeypatch: Any) -> None:
    """``client.force_login`` of someone with a passkey stands for a sign-in with that passkey,
    so tests of other domains need not repeat the ceremony (ACC-5). The proofs of the rule
    itself sign in for real: tests/accounts/test_passkey_sign_in.py, tests/browser."""
    from django.test import Client

    from tests.accounts.helpers import record_passkey_step

    original = Client.force_login

    def force_login(self: Client, user: Any, backend: str | None = None) -> None:
        original(self, user, backend)
        session = self.session
        record_passkey_step(session, user)
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


# --- Personas -----------------------------------------------------------------------------------
@pytest.fixture
def client_user(db: Any) -> Any:
    return make_user("client", email="ana.client@example.test", nickname="Ana")


@pytest.fixture
def counselor(db: Any) -> Any:
    return make_user(
        "counselor",
        email="carmen.counselor@example.test",
        first_name="Carmen",
        last_name="Ruiz",
        passkey=True,
    )


@pytest.fixture
def other_counselor(db: Any) -> Any:
    return make_user(
        "counselor",
        email="olle.counselor@example.test",
        first_name="Olle",
        last_name="Berg",
        passkey=True,
    )


@pytest.fixture
def team_leader(db: Any) -> Any:
    return make_user(
        "team_leader",
        email="tea.leader@example.test",
        first_name="Tea",
        last_name="Hoxha",
        passkey=True,
    )


@pytest.fixture
def staff_user(db: Any) -> Any:
    return make_user(
        "staff",
        email="sam.staff@example.test",
        first_name="Sam",
        last_name="Support",
        passkey=True,
        is_staff=True,
    )


@pytest.fixture
def stranger(db: Any) -> Any:
    """Another client, with no relation to anyone above."""
    return make_user("client", email="sten.stranger@example.test", nickname="Sten")


@pytest.fixture
def care(client_user: Any, counselor: Any) -> Any:
    """The client is in care with the counselor."""
    from confide.matching.models import CareRelationship

    return CareRelationship.objects.create(client=client_user, counselor=counselor)


# --- Promise report -----------------------------------------------------------------------------
def pytest_runtest_setup(item: pytest.Item) -> None:
    ids = [mark.args[0] for mark in item.iter_markers("promise")]
    if ids:
        item.user_properties.append(("promises", ids))


_results: dict[str, dict[str, int]] = defaultdict(lambda: {"passed": 0, "failed": 0})


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    ids = dict(report.user_properties).get("promises")
    if not ids:
        return
    counted = report.when == "call" or (report.when != "call" and report.failed)
    if not counted or report.skipped:
        return
    failed = report.failed
    for promise in ids:
        _results[promise]["failed" if failed else "passed"] += 1


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if hasattr(session.config, "workerinput"):
        return  # xdist workers report to the controller, which writes the file
    # Only `make test` (which sets the variable) writes the report: a partial run during
    # development must not stand in for the last full one.
    if not _results or not os.environ.get("CONFIDE_PROMISE_REPORT"):
        return
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(_results, indent=2, sort_keys=True), encoding="utf-8")
