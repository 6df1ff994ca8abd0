from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.db import models
from django.template.loader import render_to_string
from django.test.utils import isolate_apps
from django.utils import translation

from confide.privacy import checks
from confide.privacy.inventory import CATEGORIES, PURPOSES, Declared, all_declarations, problems_for
from confide.privacy.manifest import build_manifest, collection_summary


@isolate_apps("confide.privacy")
def test_system_check_fails_on_an_undeclared_field(monkeypatch: Any) -> None:
    class Leaky(models.Model):
        note = models.TextField()
        shoe_size = models.IntegerField()

        class Meta:
            app_label = "privacy"

        class PersonalData:
            subject = None
            fields = {"note": Declared("content", ["care"], "consent", "account_lifetime", "shred")}
            not_personal = ["id"]

    monkeypatch.setattr(checks, "our_models", lambda: [Leaky])
    errors = checks.check_inventory()
    assert [e.id for e in errors] == ["privacy.E001"]
    assert "shoe_size is not declared" in errors[0].msg


@isolate_apps("confide.privacy")
def test_unknown_vocabulary_is_reported() -> None:
    class Odd(models.Model):
        note = models.TextField()

        class Meta:
            app_label = "privacy"

        class PersonalData:
            subject = None
            fields = {
                "note": Declared("gossip", ["fun"], "whim", "forever", "keep_under_legal_hold")
            }
            not_personal = ["id"]

    text = " ".join(problems_for(Odd))
    for word in ("gossip", "fun", "whim", "forever", "without the law"):
        assert word in text


def test_project_models_pass_the_check() -> None:
    assert checks.check_inventory() == []


@pytest.mark.promise("POLICY-4")
def test_manifest_uses_fides_keys_only(db: Any) -> None:
    from django.core.management import call_command

    out = StringIO()
    call_command("privacy_manifest", stdout=out)
    manifest = json.loads(out.getvalue())
    assert manifest == json.loads(json.dumps(build_manifest()))
    # Against the real schema: tests/privacy/test_schema.py.
    fides_categories = {v[1] for v in CATEGORIES.values()}
    fides_uses = {v[1] for v in PURPOSES.values()}
    for dataset in manifest["datasets"]:
        for field in dataset["fields"]:
            assert set(field["data_categories"]) <= fides_categories
            assert set(field["data_uses"]) <= fides_uses
    assert manifest["backup_shred_delay_days"] == 35


@pytest.mark.promise("POLICY-4")
@pytest.mark.parametrize("language", ["en", "es", "sv", "sq"])
def test_what_we_collect_section_matches_declarations(language: str) -> None:
    declared_categories = {s.category for d in all_declarations() for s in d.fields.values()}
    with translation.override(language):
        summary = collection_summary()
        html = render_to_string("privacy/_what_we_collect.html")
    assert {item.key for item in summary} == declared_categories
    for item in summary:
        assert item.label in html.replace("&#x27;", "'")
        assert item.purposes and item.retention
    assert "35" in html  # the backup shredding delay is stated


@isolate_apps("confide.privacy")
def test_held_encrypted_field_outside_the_clinical_key_is_flagged(monkeypatch: Any) -> None:
    import uuid

    from confide.privacy.fields import EncryptedTextField

    class Note(models.Model):
        id = models.UUIDField(primary_key=True, default=uuid.uuid4)
        body = EncryptedTextField(key_scope="notes")

        class Meta:
            app_label = "privacy"

        class PersonalData:
            subject = None
            fields = {
                "body": Declared(
                    "health",
                    ["care"],
                    "legal_obligation",
                    "clinical_hold",
                    "keep_under_legal_hold",
                    law="clinical_records",
                )
            }
            not_personal = ["id"]

    monkeypatch.setattr(checks, "our_models", lambda: [Note])
    assert [w.id for w in checks.check_held_encryption()] == ["privacy.W001"]
