"""Load version 1 of the privacy policy and the terms in four languages.

The texts live in ``consent/documents/<kind>.v<N>.<lang>.txt`` (first line: title). A published
version's file must never be edited: a change is a new version, published with notice.
"""

import hashlib
from datetime import UTC, datetime
from pathlib import Path

from django.db import migrations

DOCUMENTS = Path(__file__).resolve().parent.parent / "documents"
FIRST_REVISION = datetime(2026, 11, 22, tzinfo=UTC)


def load(apps, schema_editor):
    PolicyDocument = apps.get_model("consent", "PolicyDocument")
    for path in sorted(DOCUMENTS.glob("*.v1.*.txt")):
        kind, _version, language, _ext = path.name.split(".")
        title, body = path.read_text(encoding="utf-8").split("\n", 1)
        body = body.strip() + "\n"
        PolicyDocument.objects.update_or_create(
            kind=kind,
            version=1,
            language=language,
            defaults={
                "title": title.strip(),
                "body": body,
                "text_sha256": hashlib.sha256(body.encode("utf-8")).hexdigest(),
                "published_at": FIRST_REVISION,
                "effective_at": FIRST_REVISION,
                "material": False,
            },
        )


def unload(apps, schema_editor):
    apps.get_model("consent", "PolicyDocument").objects.filter(version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("consent", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
