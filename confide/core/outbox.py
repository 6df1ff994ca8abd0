"""The files of the embedded outbox (``OUTBOX_DIR``) as data about people: who each one was sent
to, when, and what it says — so the privacy kernel can export, erase and sweep them.

E-mails are ``<UTC stamp>-<hex>.eml`` (``mail.OutboxBackend``), texts ``sms-<hex>.json``
(``sms.OutboxSmsBackend``). A file that cannot be parsed still counts, by its raw bytes, so a
broken file never hides an address from erasure.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser
from email.utils import getaddresses
from pathlib import Path

from django.conf import settings

_STAMP = "%Y%m%dT%H%M%S%f"


@dataclass(frozen=True)
class OutboxItem:
    path: Path
    kind: str  # "email" | "sms"
    sent_at: datetime
    recipients: tuple[str, ...]  # lower-case addresses or phone numbers
    subject: str
    text: str  # the readable parts
    raw: str = ""  # the file as stored, searched too: what the parser missed still counts

    def concerns(self, needles: set[str]) -> bool:
        """Sent to, or mentioning, one of ``needles`` (lower-case addresses or numbers)."""
        if needles & set(self.recipients):
            return True
        haystack = f"{self.subject}\n{self.text}\n{self.raw}".lower()
        # Whole addresses only: "ann@x.test" must not match inside "joann@x.test".
        return any(
            re.search(rf"(?<![\w.+-]){re.escape(needle)}(?![\w-])", haystack) for needle in needles
        )


def _mtime(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, UTC)


def _email(path: Path) -> OutboxItem:
    raw = path.read_bytes()
    try:
        sent_at = datetime.strptime(path.name.split("-", 1)[0], _STAMP).replace(tzinfo=UTC)
    except ValueError:
        sent_at = _mtime(path)
    message = BytesParser(policy=policy.default).parsebytes(raw)
    headers = [str(message.get(name, "")) for name in ("To", "Cc", "Bcc")]
    recipients = tuple(address.lower() for _, address in getaddresses(headers) if address)
    parts = []
    for part in message.walk():
        if part.get_content_maintype() == "text" and not part.is_multipart():
            try:
                parts.append(str(part.get_content()))
            except (LookupError, ValueError):  # an unknown charset: the raw text still counts
                continue
    subject = str(message["Subject"] or "")
    text, stored = "\n".join(parts), raw.decode("utf-8", "replace")
    return OutboxItem(path, "email", sent_at, recipients, subject, text, stored)


def _sms(path: Path) -> OutboxItem:
    raw = path.read_text("utf-8", "replace")
    try:
        record = json.loads(raw)
        sent_at = datetime.fromisoformat(str(record["at"]))
        to, text = str(record["to"]), str(record["text"])
    except (ValueError, KeyError, TypeError):
        sent_at, to, text = _mtime(path), "", raw
    return OutboxItem(path, "sms", sent_at, (to.lower(),) if to else (), "", text, raw)


def items() -> list[OutboxItem]:
    """Every message in the outbox, oldest first."""
    outbox = Path(settings.OUTBOX_DIR)
    if not outbox.exists():
        return []
    found = [_email(p) for p in outbox.glob("*.eml")]
    found += [_sms(p) for p in outbox.glob("sms-*.json")]
    return sorted(found, key=lambda item: (item.sent_at, item.path.name))


def items_for(needles: Iterable[str]) -> list[OutboxItem]:
    """The messages sent to or naming any of ``needles`` (addresses, phone numbers)."""
    wanted = {n.strip().lower() for n in needles if n and n.strip()}
    if not wanted:
        return []
    return [item for item in items() if item.concerns(wanted)]


def delete(paths: Iterable[Path]) -> int:
    removed = 0
    for path in paths:
        try:
            path.unlink()
        except FileNotFoundError:
            continue  # another sweep got there first
        removed += 1
    return removed


def purge_before(cutoff: datetime) -> int:
    """Delete every message sent before ``cutoff``; returns how many."""
    return delete(item.path for item in items() if item.sent_at < cutoff)
