from __future__ import annotations

import importlib
import json
import os
import pkgutil
import shutil
import sys
import traceback
from pathlib import Path

import benchmarks
from benchmarks.harness import Result

REPORT = Path("reports/bench.json")
BENCH_DATA = Path("var/bench")


def modules(selected: list[str]) -> list[str]:
    found = sorted(
        info.name
        for info in pkgutil.iter_modules(benchmarks.__path__)
        if info.name.startswith("bench_")
    )
    if selected:
        found = [name for name in found if name.removeprefix("bench_") in selected]
    return found


def table(results: list[Result]) -> str:
    lines = [f"{'bench':<14} {'metric':<40} {'value':>12} {'floor':>12} {'ratio':>8}  target"]
    for r in results:
        ratio = f"{r.ratio:.2f}" if r.ratio is not None else "-"
        floor = f"{r.floor:.3f}" if r.floor is not None else "-"
        lines.append(
            f"{r.bench:<14} {r.metric:<40} {r.value:>12.3f} {floor:>12} {ratio:>8}  {r.target}"
        )
    return "\n".join(lines)


def fresh_database() -> None:
    """Benchmarks run on a throwaway database made anew by each ``make bench`` (a schema left by
    an older checkout would otherwise break them)."""
    if "CONFIDE_DATA_DIR" not in os.environ:
        shutil.rmtree(BENCH_DATA, ignore_errors=True)


def save(results: list[Result], merge: bool) -> None:
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(REPORT.read_text()) if REPORT.exists() and merge else {}
    for result in results:
        previous[f"{result.bench}:{result.metric}"] = result.as_dict()
    REPORT.write_text(json.dumps(previous, indent=2))


def main(argv: list[str]) -> int:
    fresh_database()
    results: list[Result] = []
    failed: list[str] = []
    for name in modules(argv):
        print(f"== {name}", flush=True)
        try:
            module = importlib.import_module(f"benchmarks.{name}")
            results.extend(module.run())
        except Exception:  # one broken benchmark must not hide the others
            traceback.print_exc()
            failed.append(name)
        save(results, merge=bool(argv))  # after each module: a crash later loses nothing
    print(table(results))
    print(f"\nWritten to {REPORT}")
    if failed:
        print(f"Failed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
