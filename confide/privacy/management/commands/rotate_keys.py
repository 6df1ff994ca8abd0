from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from confide.privacy.rotation import rotate


class Command(BaseCommand):
    help = (
        "Rotate key-encryption keys: a new KEK when due (or --now), every data key re-wrapped "
        "under the current one, KEKs past the backup delay destroyed. Data is untouched."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="make a new KEK even if not due")

    def handle(self, *args: Any, **options: Any) -> None:
        report = rotate(force=options["now"])
        self.stdout.write(
            f"new KEK: {report.added or '-'}; re-wrapped {report.rewrapped} data keys; "
            f"destroyed {len(report.destroyed)} expired KEK(s)"
        )
