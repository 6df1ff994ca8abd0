"""The inventory against the real database (POLICY-4): every column of every table is declared
with its purpose, legal basis and retention, or listed as holding no personal data.

The system check ``privacy.E001`` reads model metadata; this reads the schema itself through
``connection.introspection``, so it also sees what no model describes: a library's new column
after an upgrade, a table a migration left behind, a column added by hand. It needs a database,
so it runs in the tests and in ``manage.py privacy_manifest`` (a manifest missing a column would
not be one), not as a system check: ``migrate`` runs database checks before migrating, when
the schema is still the old one.
"""

from __future__ import annotations

from django.apps import apps
from django.db import connections, models

from confide.privacy import third_party
from confide.privacy.inventory import ModelDeclaration, declaration_for


def _models_by_table() -> dict[str, list[type[models.Model]]]:
    found: dict[str, list[type[models.Model]]] = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        found.setdefault(model._meta.db_table, []).append(model)
    return found


def _declared_columns(model: type[models.Model], declaration: ModelDeclaration) -> set[str]:
    """The columns the declaration covers: a declared field or a field listed as not personal
    (by its name or its column name)."""
    named = set(declaration.fields) | declaration.not_personal
    return {
        str(field.column)
        for field in model._meta.concrete_fields
        if field.name in named or field.column in named
    }


def table_columns(using: str = "default") -> dict[str, list[str]]:
    """Every table of the real schema with its columns."""
    connection = connections[using]
    with connection.cursor() as cursor:
        return {
            table: [c.name for c in connection.introspection.get_table_description(cursor, table)]
            for table in sorted(connection.introspection.table_names(cursor))
        }


def undeclared_columns(using: str = "default") -> list[str]:
    """``table.column`` for each column of the database no declaration covers, sorted."""
    by_table = _models_by_table()
    found = []
    for table, columns in table_columns(using).items():
        if table in third_party.NO_MODEL_TABLES:
            continue
        covered: set[str] = set()
        for model in by_table.get(table, []):
            declaration = declaration_for(model)
            if declaration is not None:
                covered |= _declared_columns(model, declaration)
        found += [f"{table}.{column}" for column in columns if column not in covered]
    return sorted(found)
