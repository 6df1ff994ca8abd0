from typing import Any

from django.core.management.base import BaseCommand

from confide.audit import services as audit
from confide.privacy.crypto import rewrap_all


class Command(BaseCommand):
    help = "Re-wrap every data key under the current KEK (the first listed). Data is untouched."

    def handle(self, *args: Any, **options: Any) -> None:
        count = rewrap_all()
        audit.record("security.keys_rotated", details={"rewrapped": count})
        self.stdout.write(f"re-wrapped {count} data keys")
