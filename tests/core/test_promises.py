from __future__ import annotations

import json
import re
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command

from confide.core import promises


def test_promises_lists_every_id_and_counts_kept(monkeypatch: Any, tmp_path: Path) -> None:
    results = tmp_path / "promises.json"
    results.write_text(
        json.dumps({"ACC-1": {"passed": 2, "failed": 0}, "ACC-2": {"passed": 1, "failed": 1}})
    )
    monkeypatch.setattr(promises, "results_path", lambda: results)
    out = StringIO()
    call_command("promises", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 61
    assert "ACC-1\tpassed\t2" in lines
    assert "ACC-2\tfailed\t2" in lines
    assert "ACC-3\tmissing\t0" in lines
    assert lines[-1] == "promises kept: 1/60"


def test_catalogue_lives_in_the_repository() -> None:
    path = promises.catalogue_path()
    assert path.is_relative_to(Path(__file__).resolve().parents[2])
    ids = promises.promise_ids(path.read_text(encoding="utf-8"))
    assert len(ids) == len(set(ids)) == 60


def test_every_promise_marker_names_a_catalogued_promise() -> None:
    known = set(promises.promise_ids(promises.catalogue_path().read_text(encoding="utf-8")))
    marker = re.compile(r"""promise\(\s*["']([A-Z]+-\d+)["']""")
    tests_dir = Path(__file__).resolve().parents[1]
    used = {m for path in tests_dir.rglob("*.py") for m in marker.findall(path.read_text())}
    assert used, "no promise markers found"
    assert used <= known, sorted(used - known)
