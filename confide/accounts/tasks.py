"""Periodic account jobs."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task

from confide.core.tasks import periodic


@periodic("accounts.purge_tombstones", timedelta(hours=6))
@shared_task(name="accounts.purge_tombstones")
def purge_tombstones() -> int:
    """Under-age refusal tombstones are kept 30 days only (ACC-8)."""
    from confide.accounts.services import purge_tombstones as purge

    return purge()
