"""Version 3 of the privacy policy: names the controller (shown from ``OPERATOR_NAME`` and
``OPERATOR_CONTACT``), every purpose the inventory declares and who receives data (SHARE-1); drops
the sentence on disclosures to authorities, a feature the service does not have (issue 12).

On a fresh database nobody has accepted anything yet, so version 3 is simply the text in force
from the start. A database that already has users must announce it instead, with notice and
email: there this migration adds nothing, and the operator runs (after version 2, if that was
not published yet)

    manage.py publish_policy privacy 3

which reads the same files (``documents/privacy.v3.<lang>.txt``). It is not a material change:
it describes what the service already did.
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
    for path in sorted(DOCUMENTS.glob("privacy.v3.*.txt")):
        language = path.name.split(".")[2]
        title, body, summary = _read(path)
        PolicyDocument.objects.update_or_create(
            kind="privacy",
            version=3,
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
    apps.get_model("consent", "PolicyDocument").objects.filter(kind="privacy", version=3).delete()


class Migration(migrations.Migration):
    dependencies = [("consent", "0004_field_labels"), ("accounts", "__first__")]

    operations = [migrations.RunPython(load, unload)]
