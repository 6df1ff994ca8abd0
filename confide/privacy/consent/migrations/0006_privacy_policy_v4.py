"""Version 4 of the privacy policy: names two new recipients (SHARE-1), the card payment
processor (Stripe, when a client pays by card: the amount and a payment reference) and YouTube or
Vimeo (a video embedded in the library, only with functional cookies switched on).

On a fresh database nobody has accepted anything yet, so version 4 is simply the text in force
from the start. A database that already has users must announce it instead: there this migration
adds nothing, and the operator runs

    manage.py publish_policy privacy 4 --material

which reads the same files (``documents/privacy.v4.<lang>.txt``). There it is a material change
(new recipients): it takes effect after the notice period and asks for acceptance again, and
Stripe and embedded videos must not be switched on before it is in force. On a fresh database it
is the first text anyone accepts, so nothing is re-accepted.
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
    for path in sorted(DOCUMENTS.glob("privacy.v4.*.txt")):
        language = path.name.split(".")[2]
        title, body, summary = _read(path)
        PolicyDocument.objects.update_or_create(
            kind="privacy",
            version=4,
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
    apps.get_model("consent", "PolicyDocument").objects.filter(kind="privacy", version=4).delete()


class Migration(migrations.Migration):
    dependencies = [("consent", "0005_privacy_policy_v3"), ("accounts", "__first__")]

    operations = [migrations.RunPython(load, unload)]
