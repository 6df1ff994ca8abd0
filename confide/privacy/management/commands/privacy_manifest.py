import json
from typing import Any

from django.core.management.base import BaseCommand

from confide.privacy.manifest import build_manifest


class Command(BaseCommand):
    help = "Print the privacy manifest (JSON, Fides-compatible category and use keys)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--output", help="write to this file instead of stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        text = json.dumps(build_manifest(), indent=2, sort_keys=True)
        if options.get("output"):
            with open(options["output"], "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
        else:
            self.stdout.write(text)
