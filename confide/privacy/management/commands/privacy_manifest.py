import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from confide.privacy.manifest import build_manifest
from confide.privacy.schema import undeclared_columns


class Command(BaseCommand):
    help = "Print the privacy manifest (JSON, Fides-compatible category and use keys)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--output", help="write to this file instead of stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        # A manifest silent about a column of the real database would not be one (POLICY-4).
        missing = undeclared_columns()
        if missing:
            raise CommandError(
                "These database columns are not declared (see docs/privacy-kernel.md): "
                + ", ".join(missing)
            )
        text = json.dumps(build_manifest(), indent=2, sort_keys=True)
        if options.get("output"):
            with open(options["output"], "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
        else:
            self.stdout.write(text)
