"""A signed note and every addendum are immutable at the database level (CARE-7).

A trigger aborts any UPDATE of a signed note's row and of any addendum's row, whatever issues it:
the ORM, ``QuerySet.update``, raw SQL or a database shell. Deleting stays possible: the retention
sweep deletes the record once the law's period has passed (and no legal hold remains).
"""

from django.db import migrations

SQLITE = [
    "CREATE TRIGGER records_note_signed_immutable BEFORE UPDATE ON records_note "
    "FOR EACH ROW WHEN OLD.status = 'signed' "
    "BEGIN SELECT RAISE(ABORT, 'records: a signed note is immutable'); END",
    "CREATE TRIGGER records_addendum_immutable BEFORE UPDATE ON records_addendum "
    "FOR EACH ROW BEGIN SELECT RAISE(ABORT, 'records: an addendum is immutable'); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS records_note_signed_immutable",
    "DROP TRIGGER IF EXISTS records_addendum_immutable",
]
POSTGRESQL = [
    "CREATE OR REPLACE FUNCTION records_refuse_update() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'records: % row is immutable', TG_TABLE_NAME "
    "USING ERRCODE = 'restrict_violation'; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER records_note_signed_immutable BEFORE UPDATE ON records_note "
    "FOR EACH ROW WHEN (OLD.status = 'signed') EXECUTE FUNCTION records_refuse_update()",
    "CREATE TRIGGER records_addendum_immutable BEFORE UPDATE ON records_addendum "
    "FOR EACH ROW EXECUTE FUNCTION records_refuse_update()",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS records_note_signed_immutable ON records_note",
    "DROP TRIGGER IF EXISTS records_addendum_immutable ON records_addendum",
    "DROP FUNCTION IF EXISTS records_refuse_update()",
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            # params=None: the PostgreSQL editor would otherwise read the trigger's "%" as a
            # placeholder.
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}),
        )
    ]
