"""Privacy tasks: exports and the retention sweep. Tasks take ids, never content."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task

from confide.core.tasks import periodic


@shared_task(name="privacy.build_export")
def build_export(request_id: str) -> None:
    from confide.privacy.services import run_export

    run_export(request_id)


@periodic("privacy-retention-sweep", timedelta(hours=6))
@shared_task(name="privacy.retention_sweep")
def retention_sweep() -> dict[str, int]:
    """Apply every declared retention rule (KEEP-1); counts only."""
    from confide.privacy.retention import sweep
    from confide.privacy.services import purge_expired_archives

    counts = sweep()
    counts["export_archives"] = purge_expired_archives()
    return counts


@periodic("privacy-rotate-keys", timedelta(days=1))
@shared_task(name="privacy.rotate_keys")
def rotate_keys() -> dict[str, int]:
    """Rotate KEKs when due and destroy those past the backup delay (KEEP-2); counts only."""
    from confide.privacy.rotation import rotate

    report = rotate()
    return {"rewrapped": report.rewrapped, "destroyed": len(report.destroyed)}


@shared_task(name="privacy.send_transfer_notice")
def send_transfer_notice(transfer_id: str) -> int:
    """Tell everyone of a planned business transfer (SHARE-6)."""
    from confide.privacy.transfers import send_notice

    return send_notice(transfer_id)
