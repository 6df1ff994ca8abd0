"""Publish a new version of a policy document with notice (POLICY-2, SHARE-6).

    manage.py publish_policy privacy 2 --material [--reason business_transfer] [--notice-days N]

reads ``confide/privacy/consent/documents/<kind>.v<N>.<lang>.txt``: first line the title, an
optional second line starting with ``> `` the summary of changes, then the body. English is
required; other languages fall back to English until translated.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from confide.privacy.consent.models import PolicyDocument
from confide.privacy.consent.policies import NewVersion, publish_version

DOCUMENTS = Path(__file__).resolve().parents[2] / "documents"


def read_texts(kind: str, version: int) -> dict[str, tuple[str, str, str]]:
    texts = {}
    for path in sorted(DOCUMENTS.glob(f"{kind}.v{version}.*.txt")):
        language = path.name.split(".")[2]
        title, _, rest = path.read_text(encoding="utf-8").partition("\n")
        summary = ""
        if rest.startswith("> "):
            first, _, rest = rest.partition("\n")
            summary = first[2:].strip()
        texts[language] = (title.strip(), rest.strip() + "\n", summary)
    return texts


class Command(BaseCommand):
    help = "Publish a new policy version, announce it, and let it take effect after notice."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=PolicyDocument.Kind.values)
        parser.add_argument("version", type=int)
        parser.add_argument("--material", action="store_true", help="needs renewed acceptance")
        parser.add_argument("--reason", choices=PolicyDocument.Reason.values, default="revision")
        parser.add_argument("--notice-days", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        kind, version = options["kind"], options["version"]
        latest = PolicyDocument.objects.filter(kind=kind).order_by("-version").first()
        expected = (latest.version if latest else 0) + 1
        if version != expected:
            raise CommandError(f"the next {kind} version is {expected}, not {version}")
        texts = read_texts(kind, version)
        if "en" not in texts:
            raise CommandError(f"missing {DOCUMENTS}/{kind}.v{version}.en.txt")
        change = NewVersion(kind, texts, material=options["material"], reason=options["reason"])
        rows = publish_version(change, notice_days=options["notice_days"])
        self.stdout.write(
            f"{kind} v{version} published in {len(rows)} languages; "
            f"in effect from {rows[0].effective_at:%Y-%m-%d %H:%M} UTC"
        )
