"""Every e-mail subject, ours and the sign-in library's, in each of the four languages: one line,
no leading, trailing or doubled space, translated, and read back from the stored message exactly
as it was written (a long non-ASCII subject used to come back with a leading space)."""

from __future__ import annotations

from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import allauth
import pytest
from django.core import mail
from django.utils import timezone, translation

from confide.accounts.adapters import AccountAdapter
from confide.core import times
from confide.core.mail import SMTPBackend, render_subject
from tests.factories import make_user

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2] / "confide"
LIBRARY = Path(allauth.__file__).parent / "templates"
LANGUAGES = ["en", "es", "sv", "sq"]
#: The scheduling notice has one subject per kind of notice.
NOTICE_KINDS = ["confirmed", "requested", "changed", "cancelled", "declined", "before"]


def _prefixes(root: Path) -> list[str]:
    """Template names without ``_subject.txt``, as the senders name them."""
    return sorted(
        str(path.relative_to(path.parents[2]))[: -len("_subject.txt")]
        for path in root.rglob("templates/*/email/*_subject.txt")
    )


def _library_prefixes() -> list[str]:
    return sorted(
        str(path.relative_to(LIBRARY))[: -len("_subject.txt")]
        for path in LIBRARY.glob("*/email/*_subject.txt")
    )


def _our_subjects(language: str) -> dict[str, str]:
    from confide.privacy.consent.models import PolicyDocument

    doc = PolicyDocument.objects.filter(kind="privacy", language=language).first()
    # A long date in a far zone: the longest subjects we send.
    when = times.when(datetime(2026, 12, 30, 22, 30, tzinfo=UTC), tz=times.zone("Pacific/Auckland"))
    subjects = {}
    for prefix in _prefixes(ROOT):
        for kind in NOTICE_KINDS if prefix == "scheduling/email/notice" else [""]:
            context = {"kind": kind, "when": when, "doc": doc}
            subjects[f"{prefix} {kind}".strip()] = render_subject(prefix, context)
    return subjects


def _library_subjects(user: Any) -> dict[str, str]:
    adapter = AccountAdapter()
    context = {"user": user, "code": "123456", "email": user.email}
    return {
        prefix: str(adapter.render_mail(prefix, user.email, context).subject)
        for prefix in _library_prefixes()
    }


def _subjects(language: str, user: Any) -> dict[str, str]:
    with translation.override(language), timezone.override(times.zone("Pacific/Auckland")):
        return {**_our_subjects(language), **_library_subjects(user)}


def test_the_scan_finds_every_sender() -> None:
    ours = _prefixes(ROOT)
    assert "scheduling/email/notice" in ours and "privacy/email/export_ready" in ours
    assert len(ours) >= 19 and "account/email/login_code" in _library_prefixes()


@pytest.mark.promise("POLICY-3")
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_subject_is_one_tidy_translated_line(language: str) -> None:
    user = make_user("client", language=language)
    english = _subjects("en", user)
    subjects = _subjects(language, user)
    untidy = {
        name: subject
        for name, subject in subjects.items()
        if not subject or subject != " ".join(subject.split())
    }
    assert not untidy, untidy
    if language != "en":
        untranslated = [name for name, subject in subjects.items() if subject == english[name]]
        assert not untranslated, untranslated


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_subject_reads_back_from_the_outbox_as_written(
    language: str, settings: Any, tmp_path: Path
) -> None:
    settings.EMAIL_BACKEND = "confide.core.mail.OutboxBackend"
    settings.OUTBOX_DIR = tmp_path
    subjects = _subjects(language, make_user("client", language=language))
    for subject in subjects.values():
        mail.send_mail(subject, "body", None, ["ana@example.test"])
    stored = [
        str(BytesParser(policy=policy.default).parsebytes(path.read_bytes())["Subject"])
        for path in tmp_path.glob("*.eml")
    ]
    assert sorted(stored) == sorted(subjects.values())


class _Connection:
    """Stands in for smtplib.SMTP: keeps the bytes that would go on the wire."""

    def __init__(self) -> None:
        self.sent: list[bytes] = []

    def sendmail(self, sender: str, recipients: list[str], message: bytes) -> None:
        self.sent.append(message)


def test_smtp_sends_a_long_non_ascii_subject_without_a_leading_space() -> None:
    subject = "Sesión confirmada: miércoles, 30 de diciembre de 2026, 11:30 (hora de Auckland)"
    backend = SMTPBackend()
    connection = _Connection()
    backend.connection = connection  # type: ignore[assignment]
    message = mail.EmailMessage(subject, "body", "no-reply@example.test", ["ana@example.test"])
    assert backend.send_messages([message]) == 1
    head = connection.sent[0].split(b"\r\n\r\n")[0].decode()
    assert "Subject: =?utf-8?" in head  # starts on the header's own line
    parsed = BytesParser(policy=policy.default).parsebytes(connection.sent[0])
    assert parsed["Subject"] == subject
