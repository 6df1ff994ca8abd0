"""The database refuses any UPDATE of an earnings ledger entry or a payout (PAY-3)."""

from typing import Any

from django.db import migrations

_TABLES = ["billing_ledgerentry", "billing_payout"]


def _sqlite(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;"
    ]


def _postgres(table: str) -> list[str]:
    return [
        f"CREATE OR REPLACE FUNCTION {table}_refuse() RETURNS trigger AS $$ "
        f"BEGIN RAISE EXCEPTION '{table} is append-only' "
        "USING ERRCODE = 'restrict_violation'; END; $$ LANGUAGE plpgsql;",
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {table}_refuse();",
    ]


def _create(apps: Any, schema_editor: Any) -> None:
    builder = {"sqlite": _sqlite, "postgresql": _postgres}.get(schema_editor.connection.vendor)
    for table in _TABLES if builder else []:
        for sql in builder(table):  # type: ignore[misc]
            schema_editor.execute(sql, params=None)


def _drop(apps: Any, schema_editor: Any) -> None:
    postgres = schema_editor.connection.vendor == "postgresql"
    for table in _TABLES:
        suffix = f" ON {table}" if postgres else ""
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update{suffix}", params=None)


class Migration(migrations.Migration):
    dependencies = [("billing", "0008_payouts")]

    operations = [migrations.RunPython(_create, _drop)]
