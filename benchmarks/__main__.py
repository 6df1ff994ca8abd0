from __future__ import annotations

import importlib
import json
import pkgutil
import sys
from pathlib import Path

import benchmarks
from benchmarks.harness import Result

REPORT = Path("reports/bench.json")


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


def main(argv: list[str]) -> int:
    results: list[Result] = []
    for name in modules(argv):
        print(f"== {name}", flush=True)
        module = importlib.import_module(f"benchmarks.{name}")
        results.extend(module.run())
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(REPORT.read_text()) if REPORT.exists() and argv else {}
    for result in results:
        previous[f"{result.bench}:{result.metric}"] = result.as_dict()
    REPORT.write_text(json.dumps(previous, indent=2))
    print(table(results))
    print(f"\nWritten to {REPORT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
