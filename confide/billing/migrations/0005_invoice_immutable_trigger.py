"""The database refuses any UPDATE of an issued invoice, credit note or their lines (PAY-1)."""

from typing import Any

from django.db import migrations

_TABLES = ("billing_invoice", "billing_invoiceline")


def _sqlite(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        "BEGIN SELECT RAISE(ABORT, 'issued invoices are immutable'); END;"
    ]


def _postgres(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION billing_invoice_refuse();"
    ]


_FUNCTION = (
    "CREATE OR REPLACE FUNCTION billing_invoice_refuse() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'issued invoices are immutable' "
    "USING ERRCODE = 'restrict_violation'; END; $$ LANGUAGE plpgsql;"
)


def _create(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(_FUNCTION, params=None)
    for table in _TABLES:
        statements = {"sqlite": _sqlite, "postgresql": _postgres}.get(vendor)
        for sql in statements(table) if statements else []:
            schema_editor.execute(sql, params=None)


def _drop(apps: Any, schema_editor: Any) -> None:
    postgres = schema_editor.connection.vendor == "postgresql"
    for table in _TABLES:
        suffix = f" ON {table}" if postgres else ""
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update{suffix}")


class Migration(migrations.Migration):
    dependencies = [("billing", "0004_invoices")]

    operations = [migrations.RunPython(_create, _drop)]
