"""Email: the embedded default writes each message to a local outbox folder as a .eml file.

Every email is rendered from templates in the recipient's language by :func:`send_templated`,
so no caller builds message text by hand (and none can slip content into it by accident).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo
from email import policy
from email.header import Header
from email.message import Message
from email.parser import BytesParser
from pathlib import Path
from typing import Any, cast
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.smtp import EmailBackend as DjangoSMTPBackend
from django.template.loader import render_to_string
from django.utils import timezone, translation

from confide.core import times


def mime_message(message: EmailMessage) -> Message:
    """The message in MIME form with its subject folded so that it reads back as typed.

    Django 5.2 stores a non-ASCII subject as one long encoded word; the generator cannot split
    it, so it moves it whole onto a continuation line (``Subject:\\n =?utf-8?q?…``), which
    mail readers (Python's own parser, the staff outbox page) show with a leading space. A
    ``Header`` made from the text itself is split into encoded words from the first line on."""
    mime = message.message()
    subject = str(message.subject)
    if not subject.isascii():
        encoding = message.encoding or settings.DEFAULT_CHARSET
        mime.replace_header("Subject", Header(subject, encoding, header_name="Subject"))
    return mime


class _FoldedSubject:
    """An EmailMessage whose MIME form comes from ``mime_message`` (for Django's backends)."""

    def __init__(self, message: EmailMessage) -> None:
        self._message = message

    def __getattr__(self, name: str) -> Any:
        return getattr(self._message, name)

    def message(self) -> Message:
        return mime_message(self._message)


class SMTPBackend(DjangoSMTPBackend):
    """Django's SMTP backend, sending subjects folded as the outbox writes them."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        folded = [cast(EmailMessage, _FoldedSubject(message)) for message in email_messages]
        return super().send_messages(folded)


class OutboxBackend(BaseEmailBackend):
    """Writes one RFC 5322 file per message to ``settings.OUTBOX_DIR``."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        outbox = Path(settings.OUTBOX_DIR)
        outbox.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
            path = outbox / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
            path.write_bytes(mime_message(message).as_bytes())
            sent += 1
        return sent


def read_outbox(limit: int = 50) -> list[dict[str, Any]]:
    """Newest first; used by the staff outbox page in debug."""
    outbox = Path(settings.OUTBOX_DIR)
    if not outbox.exists():
        return []
    files = sorted(outbox.glob("*.eml"), reverse=True)[:limit]
    messages = []
    for path in files:
        parsed = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        body = parsed.get_body(preferencelist=("plain", "html"))
        messages.append(
            {
                "name": path.name,
                "to": parsed["To"],
                "subject": parsed["Subject"],
                "date": parsed["Date"],
                "body": body.get_content() if body is not None else "",
            }
        )
    return messages


def render_subject(template: str, context: dict[str, Any]) -> str:
    """``<template>_subject.txt`` in the active language, on one line with single spaces: a
    header ends at a newline, and a template's or a translation's stray space must not show."""
    return " ".join(render_to_string(f"{template}_subject.txt", context).split())


def send_templated(
    template: str,
    to: str,
    context: dict[str, Any],
    *,
    language: str | None = None,
    zone: tzinfo | None = None,
    headers: dict[str, str] | None = None,
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> None:
    """Render ``<template>_subject.txt``, ``_body.txt`` and (if present) ``_body.html``
    in ``language`` and send, with times in ``zone`` (the recipient's, from
    ``times.user_zone``; the preset's default when there is no account to ask).
    Templates live in the owning app's ``templates/email/``.
    ``attachments`` are ``(filename, content, mimetype)`` (e.g. an iCalendar invite)."""
    with (
        translation.override(language or settings.LANGUAGE_CODE),
        timezone.override(zone or times.zone("")),
    ):
        subject = render_subject(template, context)
        text = render_to_string(f"{template}_body.txt", context)
        try:
            html: str | None = render_to_string(f"{template}_body.html", context)
        except Exception:
            html = None
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[to],
        headers=headers or {},
    )
    if html:
        message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    message.send()


def email_settings_from_url(url: str) -> dict[str, Any]:
    """``smtp://user:pass@host:587`` (STARTTLS) or ``smtps://…:465`` (TLS) → Django settings."""
    parsed = urlparse(url)
    if parsed.scheme not in {"smtp", "smtps"}:
        from confide.env import ConfigError

        raise ConfigError(f"EMAIL_URL must start with smtp:// or smtps://, not {parsed.scheme}://")
    return {
        "EMAIL_BACKEND": "confide.core.mail.SMTPBackend",
        "EMAIL_HOST": parsed.hostname or "localhost",
        "EMAIL_PORT": parsed.port or (465 if parsed.scheme == "smtps" else 587),
        "EMAIL_HOST_USER": unquote(parsed.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
        "EMAIL_USE_SSL": parsed.scheme == "smtps",
        "EMAIL_USE_TLS": parsed.scheme == "smtp"
        and parsed.hostname not in {"localhost", "127.0.0.1"},
    }
