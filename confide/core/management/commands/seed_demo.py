"""Load demo data once (idempotent). Each domain contributes a ``demo.py`` with ``seed(stdout)``,
run in INSTALLED_APPS order. Refused in production: demo credentials are public."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Create demo accounts and data for the embedded default (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Demo data is for the embedded default only.")
        for app in (config.name for config in apps.get_app_configs()):
            if not app.startswith("confide."):
                continue
            try:
                module = import_module(f"{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.demo":
                    raise
                continue
            with transaction.atomic():
                module.seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
