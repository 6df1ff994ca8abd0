"""Load demo data once (idempotent). Each domain contributes a ``demo.py`` with ``seed(stdout)``,
run in INSTALLED_APPS order, and optionally ``banner(base_url) -> list[str]``, lines that
``manage.py serve`` prints. Refused in production: demo credentials are public."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module
from types import ModuleType
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


def demo_modules() -> Iterator[ModuleType]:
    """Each domain's ``demo`` module, in INSTALLED_APPS order. Imported by name, so the kernel
    never imports a domain app."""
    for app in (config.name for config in apps.get_app_configs()):
        if not app.startswith("confide."):
            continue
        try:
            yield import_module(f"{app}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.demo":
                raise


class Command(BaseCommand):
    help = "Create demo accounts and data for the embedded default (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Demo data is for the embedded default only.")
        for module in demo_modules():
            with transaction.atomic():
                module.seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
