"""Version 2 of the privacy policy: it says only what the code does (issue 12).

On a fresh database nobody has accepted anything yet, so version 2 is simply the text in force
from the start. A database that already has users must announce it instead, with notice, email
and renewed acceptance: there this migration adds nothing, and the operator runs

    manage.py publish_policy privacy 2 --material

which reads the same files (``documents/privacy.v2.<lang>.txt``).
"""

import hashlib
from pathlib import Path

from django.db import migrations
from django.utils import timezone

DOCUMENTS = Path(__file__).resolve().parent.parent / "documents"


def _read(path):
    title, _, rest = path.read_text(encoding="utf-8").partition("\n")
    summary = ""
    if rest.startswith("> "):
        first, _, rest = rest.partition("\n")
        summary = first[2:].strip()
    return title.strip(), rest.strip() + "\n", summary


def load(apps, schema_editor):
    if apps.get_model("accounts", "User").objects.exists():
        return  # existing users are owed notice: publish with the command (see above)
    PolicyDocument = apps.get_model("consent", "PolicyDocument")
    now = timezone.now()
    for path in sorted(DOCUMENTS.glob("privacy.v2.*.txt")):
        language = path.name.split(".")[2]
        title, body, summary = _read(path)
        PolicyDocument.objects.update_or_create(
            kind="privacy",
            version=2,
            language=language,
            defaults={
                "title": title,
                "body": body,
                "change_summary": summary,
                "text_sha256": hashlib.sha256(body.encode("utf-8")).hexdigest(),
                "published_at": now,
                "effective_at": now,
                "material": False,
            },
        )


def unload(apps, schema_editor):
    apps.get_model("consent", "PolicyDocument").objects.filter(kind="privacy", version=2).delete()


class Migration(migrations.Migration):
    dependencies = [("consent", "0002_first_policy_documents"), ("accounts", "__first__")]

    operations = [migrations.RunPython(load, unload)]
