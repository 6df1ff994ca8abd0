"""Export people's data for the recipient of a business transfer (SHARE-6); refused until the
notice period announced to them has passed."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from confide.privacy.models import BusinessTransfer
from confide.privacy.transfers import TransferRefused, export_for_transfer


class Command(BaseCommand):
    help = "Write one JSON export per person for an announced transfer, once its notice is over."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("transfer", help="the transfer id printed by announce_transfer")
        parser.add_argument("directory", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            transfer = BusinessTransfer.objects.filter(pk=options["transfer"]).first()
        except ValidationError:
            transfer = None
        if transfer is None:
            raise CommandError("no such transfer: announce it first (announce_transfer)")
        try:
            count = export_for_transfer(transfer, options["directory"])
        except TransferRefused as refusal:
            raise CommandError(f"refused: {refusal}") from None
        self.stdout.write(f"exported {count} accounts for {transfer.recipient}")
