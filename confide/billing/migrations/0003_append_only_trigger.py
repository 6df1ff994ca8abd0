"""The database refuses any UPDATE of a money record, whoever writes (PAY-1)."""

from typing import Any

from django.db import migrations

_SQLITE = [
    "CREATE TRIGGER billing_transaction_no_update BEFORE UPDATE ON billing_transaction "
    "BEGIN SELECT RAISE(ABORT, 'billing_transaction is append-only'); END;"
]
_POSTGRES = [
    "CREATE OR REPLACE FUNCTION billing_transaction_refuse() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'billing_transaction is append-only' "
    "USING ERRCODE = 'restrict_violation'; END; $$ LANGUAGE plpgsql;",
    "CREATE TRIGGER billing_transaction_no_update BEFORE UPDATE ON billing_transaction "
    "FOR EACH ROW EXECUTE FUNCTION billing_transaction_refuse();",
]


def _create(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": _SQLITE, "postgresql": _POSTGRES}.get(vendor, []):
        schema_editor.execute(sql, params=None)


def _drop(apps: Any, schema_editor: Any) -> None:
    schema_editor.execute("DROP TRIGGER IF EXISTS billing_transaction_no_update ON billing_transaction"
                          if schema_editor.connection.vendor == "postgresql"
                          else "DROP TRIGGER IF EXISTS billing_transaction_no_update")


class Migration(migrations.Migration):
    dependencies = [("billing", "0002_settles")]

    operations = [migrations.RunPython(_create, _drop)]
