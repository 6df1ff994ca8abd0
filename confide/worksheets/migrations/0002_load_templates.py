"""Loads the worksheet templates (data, not code) from fixtures/templates.json. A new version of
a template is a new entry in that file plus a migration like this one."""

import json
from pathlib import Path

from django.db import migrations

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "templates.json"


def load(apps, schema_editor):
    WorksheetTemplate = apps.get_model("worksheets", "WorksheetTemplate")
    for entry in json.loads(FIXTURE.read_text(encoding="utf-8")):
        WorksheetTemplate.objects.update_or_create(
            key=entry["key"], version=entry["version"], defaults={"definition": entry}
        )


class Migration(migrations.Migration):
    dependencies = [("worksheets", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
