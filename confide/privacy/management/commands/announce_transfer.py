"""Announce a planned business transfer (SHARE-6): everyone is emailed now, and no data can be
exported to the recipient before the notice period ends."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from confide.privacy.transfers import announce_transfer


class Command(BaseCommand):
    help = "Record a planned merger or sale and tell every active person by email."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("recipient", help="the organisation that would receive the data")
        parser.add_argument("--notice-days", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            transfer = announce_transfer(options["recipient"], notice_days=options["notice_days"])
        except ValueError as problem:
            raise CommandError(str(problem)) from None
        self.stdout.write(f"transfer {transfer.pk}: no data moves before {transfer.moves_at}")
