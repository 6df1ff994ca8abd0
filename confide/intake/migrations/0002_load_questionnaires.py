"""Loads the questionnaire definitions (data, not code) from fixtures/questionnaires.json.
A new version of a questionnaire is a new entry in that file plus a migration like this one."""

import json
from pathlib import Path

from django.db import migrations

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "questionnaires.json"


def load(apps, schema_editor):
    Questionnaire = apps.get_model("intake", "Questionnaire")
    for entry in json.loads(FIXTURE.read_text(encoding="utf-8")):
        Questionnaire.objects.update_or_create(
            key=entry["key"], version=entry["version"], defaults={"definition": entry}
        )


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
