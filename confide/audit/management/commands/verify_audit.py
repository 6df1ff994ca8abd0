from typing import Any

from django.core.management.base import BaseCommand, CommandError

from confide.audit.services import verify_chain


class Command(BaseCommand):
    help = "Recompute the audit hash chain; report the first broken link (non-zero exit if any)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"audit chain broken at record #{report.first_broken}: {report.problem} "
                f"({report.checked} records verified before it)"
            )
        self.stdout.write(f"audit chain intact: {report.checked} records verified")
