from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from confide.core.promises import catalogue_path, load_results, promise_ids, summarize


class Command(BaseCommand):
    help = (
        "Print, per promise, whether the last `make test` proved it (from reports/promises.json)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        path = catalogue_path()
        if not path.exists():
            raise CommandError(f"The promise catalogue is missing: {path}")
        ids = promise_ids(path.read_text(encoding="utf-8"))
        rows = summarize(ids, load_results())
        for promise, status, count in rows:
            self.stdout.write(f"{promise}\t{status}\t{count}")
        kept = sum(1 for _, status, _ in rows if status == "passed")
        self.stdout.write(f"promises kept: {kept}/{len(ids)}")
