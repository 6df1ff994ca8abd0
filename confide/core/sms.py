"""Pluggable SMS sending. The embedded default writes texts to the outbox folder; a production
backend (an SMS gateway) implements :class:`SmsBackend` and is named by ``SMS_BACKEND``."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

#: Tests read this list the way they read ``django.core.mail.outbox``.
sent: list[dict[str, str]] = []


class SmsBackend(Protocol):
    def send(self, to: str, text: str) -> None: ...


class OutboxSmsBackend:
    def send(self, to: str, text: str) -> None:
        record = {"to": to, "text": text, "at": datetime.now(UTC).isoformat()}
        sent.append(record)
        outbox = Path(settings.OUTBOX_DIR)
        outbox.mkdir(parents=True, exist_ok=True)
        (outbox / f"sms-{uuid.uuid4().hex}.json").write_text(json.dumps(record), encoding="utf-8")


def read_sms_outbox(limit: int = 50) -> list[dict[str, str]]:
    """Texts the outbox backend wrote, newest first; used by the staff outbox page in debug."""
    outbox = Path(settings.OUTBOX_DIR)
    if not outbox.exists():
        return []
    records = []
    for path in outbox.glob("sms-*.json"):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # half-written or foreign file: the page lists what it can read
        records.append({"to": str(record["to"]), "text": str(record["text"]), "at": record["at"]})
    records.sort(key=lambda record: record["at"], reverse=True)
    return records[:limit]


@cache
def _backend(path: str) -> SmsBackend:
    backend: SmsBackend = import_string(path)()
    return backend


def send_sms(to: str, text: str) -> None:
    _backend(settings.SMS_BACKEND).send(to, text)
