"""The canary check: plant unique marker strings in content, then prove they leaked nowhere.

Usage in any test::

    def test_my_flow(canary, client):
        body = canary.plant("message")          # "CANARY-message-3f9a…" — use it as content
        ... run the scenario (post it, render pages, send emails, run tasks) ...
        canary.check_response(response)        # optional: error pages you fetched
        canary.assert_clean()                   # or let the fixture do it at teardown

``assert_clean`` scans: captured log output, ``django.core.mail.outbox`` and the outbox folder,
audit records, fetched error pages (``check_response``), analytics events (any model whose
declared fields are usage data), and every text column of every table in the database (ciphertext
is stored as binary and never scanned: it must not contain the marker either, which the scan of
binary columns checks too).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:  # a broken log call must not hide a leak elsewhere
            self.lines.append(str(record.msg))


class Canary:
    def __init__(self) -> None:
        self.markers: list[str] = []
        self.pages: list[tuple[str, str]] = []
        self._capture = _Capture()
        self.allowed_tables: set[str] = set()  # tables where the marker is the stored content

    def plant(self, label: str = "content") -> str:
        marker = f"CANARY-{label}-{uuid.uuid4().hex[:12]}"
        self.markers.append(marker)
        return marker

    def allow_plaintext_in(self, table: str) -> None:
        """Only for tables whose job is to hold the content in clear (none of ours should)."""
        self.allowed_tables.add(table)

    def check_response(self, response: Any, where: str = "response") -> None:
        self.pages.append((where, response.content.decode("utf-8", "replace")))

    def start(self) -> None:
        from django.core.handlers.base import BaseHandler

        # Every error page served while the canary runs (test client or live server) is kept.
        original = BaseHandler.get_response
        pages = self.pages

        def get_response(handler: Any, request: Any) -> Any:
            response = original(handler, request)
            if response.status_code >= 400 and not getattr(response, "streaming", False):
                pages.append(
                    (
                        f"error page {response.status_code} {request.path}",
                        response.content.decode("utf-8", "replace"),
                    )
                )
            return response

        self._original_get_response = original
        BaseHandler.get_response = get_response  # type: ignore[method-assign]
        root = logging.getLogger()
        root.addHandler(self._capture)
        self._old_level = root.level
        root.setLevel(logging.DEBUG)

    def stop(self) -> None:
        from django.core.handlers.base import BaseHandler

        BaseHandler.get_response = self._original_get_response  # type: ignore[method-assign]
        root = logging.getLogger()
        root.removeHandler(self._capture)
        root.setLevel(self._old_level)

    # --- scans ------------------------------------------------------------------------------------
    def _hits(self, where: str, text: str) -> list[str]:
        return [f"{marker} in {where}" for marker in self.markers if marker in text]

    def _scan_logs(self) -> list[str]:
        return self._hits("log output", "\n".join(self._capture.lines))

    def _scan_mail(self) -> list[str]:
        from django.conf import settings
        from django.core import mail

        found = []
        for message in getattr(mail, "outbox", []):
            text = f"{message.subject}{message.body}{message.message()}"
            found += self._hits(f"email to {message.to}", text)
        folder = Path(settings.OUTBOX_DIR)
        if folder.exists():
            for path in folder.glob("*.eml"):
                found += self._hits(f"outbox file {path.name}", path.read_text("utf-8", "replace"))
        return found

    def _scan_audit(self) -> list[str]:
        from confide.audit.models import AuditEvent

        found = []
        for event in AuditEvent.objects.all():
            text = " ".join(
                str(v) for v in (event.action, event.reason, event.target_id, event.details)
            )
            found += self._hits(f"audit record #{event.seq}", text)
        return found

    def _scan_usage_models(self) -> list[str]:
        from confide.privacy.inventory import all_declarations

        found = []
        for declaration in all_declarations():
            categories = {s.category for s in declaration.fields.values()}
            if "usage" in categories and categories <= {"usage", "network", "preferences"}:
                for row in declaration.model._default_manager.values():
                    found += self._hits(f"usage/analytics row of {declaration.label}", repr(row))
        return found

    def _scan_database(self) -> list[str]:
        from django.db import connection

        found = []
        with connection.cursor() as cursor:
            for table in connection.introspection.table_names(cursor):
                if table in self.allowed_tables:
                    continue
                cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from introspection
                for row in cursor.fetchall():
                    for value in row:
                        if isinstance(value, (bytes, memoryview)):
                            text = bytes(value).decode("latin-1")
                        else:
                            text = str(value)
                        found += self._hits(f"database table {table}", text)
        return found

    def _scan_pages(self) -> list[str]:
        found = []
        for where, text in self.pages:
            found += self._hits(where, text)
        return found

    def leaks(self) -> list[str]:
        if not self.markers:
            return []
        return (
            self._scan_logs()
            + self._scan_mail()
            + self._scan_audit()
            + self._scan_usage_models()
            + self._scan_database()
            + self._scan_pages()
        )

    def assert_clean(self) -> None:
        leaks = self.leaks()
        assert not leaks, "content leaked: " + "; ".join(sorted(set(leaks)))


@pytest.fixture
def canary(db: Any) -> Iterator[Canary]:
    """A Canary; checked automatically at the end of the test."""
    bird = Canary()
    bird.start()
    try:
        yield bird
        bird.assert_clean()
    finally:
        bird.stop()
