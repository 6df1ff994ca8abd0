"""Definitions shipped as data (intake questionnaires, worksheet templates): a fixture of
``{"key", "version", ...}`` entries stored as rows of (key, version, definition)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def ensure_loaded(model: Any, fixture: Path) -> None:
    """Load the shipped definitions when the table is empty. Each app's data migration does this
    on every real database; this covers databases flushed after migrating (transactional
    tests)."""
    if model.objects.exists():
        return
    for entry in json.loads(fixture.read_text(encoding="utf-8")):
        model.objects.get_or_create(
            key=entry["key"], version=entry["version"], defaults={"definition": entry}
        )
