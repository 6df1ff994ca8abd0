"""Promise coverage: which tests prove which promise of our catalogue, docs/promises.md."""

from __future__ import annotations

import json
import re
from pathlib import Path

from django.conf import settings

PROMISE_ID = re.compile(r"^- ([A-Z]+-\d+) ", re.MULTILINE)


def catalogue_path() -> Path:
    """The catalogue is part of the repository, so a plain clone can count its promises."""
    return Path(settings.BASE_DIR) / "docs" / "promises.md"


def results_path() -> Path:
    return Path(settings.BASE_DIR) / "reports" / "promises.json"


def promise_ids(text: str) -> list[str]:
    return PROMISE_ID.findall(text)


def summarize(ids: list[str], results: dict[str, dict[str, int]]) -> list[tuple[str, str, int]]:
    """One row per promise: (id, passed|failed|missing, number of tests)."""
    rows = []
    for promise in ids:
        counts = results.get(promise, {})
        passed, failed = counts.get("passed", 0), counts.get("failed", 0)
        if failed:
            status = "failed"
        elif passed:
            status = "passed"
        else:
            status = "missing"
        rows.append((promise, status, passed + failed))
    return rows


def load_results() -> dict[str, dict[str, int]]:
    path = results_path()
    if not path.exists():
        return {}
    data: dict[str, dict[str, int]] = json.loads(path.read_text(encoding="utf-8"))
    return data
