"""What we collect, for real (POLICY-4): the inventory against the database itself, not against
the text it generates. Every column of every table — ours, Django's and allauth's — is declared
or listed as holding nothing personal, and a column nobody declared fails."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from confide.privacy import schema, third_party
from confide.privacy.inventory import CATEGORIES, RETENTION_RULES, all_declarations

pytestmark = pytest.mark.django_db

#: Tables of the libraries that hold the sign-in data the issue names: they must be read.
_LIBRARY_TABLES = {
    "account_emailaddress": {"email"},
    "mfa_authenticator": {"data"},
    "usersessions_usersession": {"ip", "user_agent"},
    "socialaccount_socialaccount": {"extra_data", "uid"},
    "django_session": {"session_data"},
    "django_admin_log": {"object_repr"},
}


def _declared_by_table() -> dict[str, dict[str, Any]]:
    """column -> Declared, per table, as the declarations map fields onto the real columns."""
    found: dict[str, dict[str, Any]] = {}
    for declaration in all_declarations():
        table = found.setdefault(declaration.model._meta.db_table, {})
        for name, spec in declaration.fields.items():
            table[declaration.model._meta.get_field(name).column] = spec  # type: ignore[union-attr]
    return found


@pytest.mark.promise("POLICY-4")
def test_every_column_of_the_real_schema_is_declared() -> None:
    tables = schema.table_columns()
    for table, columns in _LIBRARY_TABLES.items():  # the introspection reads what is really there
        assert columns <= set(tables[table]), table
    assert schema.undeclared_columns() == []
    declared = _declared_by_table()
    for table, columns in _LIBRARY_TABLES.items():
        assert columns <= set(declared[table]), f"{table}: personal columns not declared"


@pytest.mark.promise("POLICY-4")
def test_a_new_column_in_a_library_table_fails_the_check() -> None:
    """As after an allauth upgrade, or a hand-made ALTER TABLE: nobody declared it."""
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE usersessions_usersession ADD COLUMN geo_city varchar(80)")
        cursor.execute("CREATE TABLE tracker_visit (id integer PRIMARY KEY, visitor_ip text)")
    assert schema.undeclared_columns() == [
        "tracker_visit.id",
        "tracker_visit.visitor_ip",
        "usersessions_usersession.geo_city",
    ]
    with pytest.raises(CommandError, match=r"usersessions_usersession\.geo_city"):
        call_command("privacy_manifest", stdout=StringIO())


@pytest.mark.promise("POLICY-4")
def test_a_library_model_without_a_declaration_fails_the_check(monkeypatch: Any) -> None:
    declarations = dict(third_party.DECLARATIONS)
    del declarations["mfa.Authenticator"]
    monkeypatch.setattr(third_party, "DECLARATIONS", declarations)
    missing = schema.undeclared_columns()
    assert "mfa_authenticator.data" in missing and "mfa_authenticator.user_id" in missing


@pytest.mark.promise("POLICY-4")
def test_the_manifest_covers_every_column_of_the_database() -> None:
    """Read the manifest as an outsider would and map it onto the real tables."""
    from django.apps import apps

    out = StringIO()
    call_command("privacy_manifest", stdout=out)
    manifest = json.loads(out.getvalue())
    covered: set[tuple[str, str]] = set()
    personal: dict[tuple[str, str], dict[str, Any]] = {}
    for dataset in manifest["datasets"]:
        if dataset["table"] is None:
            continue
        model = apps.get_model(dataset["name"])
        for entry in dataset["fields"]:
            column = model._meta.get_field(entry["name"]).column  # type: ignore[union-attr]
            covered.add((dataset["table"], column))
            personal[(dataset["table"], column)] = entry
        for name in dataset["not_personal"]:
            covered.add((dataset["table"], model._meta.get_field(name).column))  # type: ignore[union-attr]
    for table, columns in schema.table_columns().items():
        if table in third_party.NO_MODEL_TABLES:
            continue
        for column in columns:
            assert (table, column) in covered, f"{table}.{column} missing from the manifest"
    ip = personal[("usersessions_usersession", "ip")]
    assert ip["data_categories"] == ["user.device"] and ip["retention_days"] is not None
    assert personal[("account_emailaddress", "email")]["data_categories"] == ["user.contact"]
    outbox = next(d for d in manifest["datasets"] if d["name"] == "files.outbox")
    assert {f["retention_days"] for f in outbox["fields"]} == {7}


@pytest.mark.promise("POLICY-4")
@pytest.mark.parametrize("language", ["en", "es", "sv", "sq"])
def test_the_public_page_states_every_column_of_the_database(client: Any, language: str) -> None:
    """For each personal column found in the database, the page names its kind of data and how
    long it is kept — sign-in sessions and outbox copies included."""
    from confide.privacy.files import FILE_DECLARATIONS

    page = client.get("/privacy/what-we-collect/", HTTP_ACCEPT_LANGUAGE=language)
    html = page.content.decode().replace("&#x27;", "'")
    declared = _declared_by_table()
    specs = [
        declared[table][column]
        for table, columns in schema.table_columns().items()
        for column in columns
        if column in declared.get(table, {})
    ]
    specs += [spec for store in FILE_DECLARATIONS for spec in store.fields.values()]
    with translation.override(language):
        for spec in specs:
            assert str(CATEGORIES[spec.category][0]) in html
            assert str(RETENTION_RULES[spec.retention]) in html
        assert str(RETENTION_RULES["signed_in_session"]) in html
        assert str(RETENTION_RULES["outbox_copy"]) in html
