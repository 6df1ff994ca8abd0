"""Every catalog is complete in es, en, sv and sq: no untranslated, no fuzzy entries and every
plural form the language has."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from scripts.po_tool import short_plurals

ROOT = Path(__file__).resolve().parents[2] / "confide"
LANGUAGES = ["en", "es", "sv", "sq"]


def catalogs() -> list[Path]:
    return sorted(ROOT.rglob("locale/*/LC_MESSAGES/django.po"))


def test_each_app_with_strings_has_all_four_catalogs() -> None:
    apps = {path.parents[3] for path in catalogs()}
    assert apps, "no catalogs found"
    for app in apps:
        for language in LANGUAGES:
            assert (app / "locale" / language / "LC_MESSAGES" / "django.po").exists(), (
                app,
                language,
            )


@pytest.mark.promise("POLICY-3")
@pytest.mark.parametrize("path", catalogs(), ids=lambda p: str(p.relative_to(ROOT)))
def test_catalog_is_complete(path: Path) -> None:
    catalog = polib.pofile(str(path))
    untranslated = [entry.msgid for entry in catalog.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalog.fuzzy_entries()]
    assert not untranslated, f"untranslated in {path}: {untranslated[:5]}"
    assert not fuzzy, f"fuzzy in {path}: {fuzzy[:5]}"
    # Spanish has three plural forms: a missing one shows the English sentence instead.
    short = [entry.msgid for entry in short_plurals(catalog)]
    assert not short, f"plural forms missing in {path}: {short[:5]}"
