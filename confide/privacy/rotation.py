"""Key rotation that makes backups forget (KEEP-2).

Daily (``privacy-rotate-keys``): if the current KEK is ``KEK_ROTATION_DAYS`` old, a new one is
made; every live data key is re-wrapped under the current KEK; then every KEK made more than the
preset's ``backup_shred_delay`` ago is destroyed. A backup taken at time T holds data keys wrapped
by the KEK current at T, made no earlier than T − rotation period and destroyed at its creation +
delay: a backup stays restorable for at least delay − period (28 days with 35 and 7) and a data
key shredded after it is unreadable from it at most ``backup_shred_delay`` after the backup — so
at most that long after the shred. A KEK still wrapping a live data key (a re-wrap that failed) is
never destroyed: that would lose live data rather than forget old copies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from confide.audit import services as audit
from confide.presets import current_preset
from confide.privacy.crypto import rewrap_all
from confide.privacy.keys import keyring
from confide.privacy.keystore import FileKeyring, new_kek
from confide.privacy.models import DataKey


@dataclass
class Rotation:
    added: str = ""
    rewrapped: int = 0
    destroyed: list[str] = field(default_factory=list)


def period() -> timedelta:
    return timedelta(days=settings.KEK_ROTATION_DAYS)


def rotate(now: datetime | None = None, *, force: bool = False) -> Rotation:
    """One rotation step; safe to run as often as wanted (it does nothing until due)."""
    moment = now or timezone.now()
    ring = keyring()
    if not isinstance(ring, FileKeyring):
        # Static KEKs or a KMS: only re-wrap under whatever is current (the KMS rotates itself).
        return Rotation(rewrapped=rewrap_all())
    report = Rotation()
    if force or moment - ring.current().created >= period():
        kek = new_kek(moment)
        ring.add(kek)
        report.added = kek.id
    report.rewrapped = rewrap_all()
    current = ring.current_id()
    cutoff = moment - current_preset().backup_shred_delay
    expired = {k.id for k in ring.keks() if k.created <= cutoff and k.id != current}
    in_use = set(DataKey.objects.filter(kek_id__in=expired).values_list("kek_id", flat=True))
    report.destroyed = sorted(expired - in_use)
    if report.destroyed:
        ring.destroy(set(report.destroyed))
    if report.added or report.destroyed or report.rewrapped:
        audit.record(
            "security.keys_rotated",
            details={
                "added": report.added,
                "rewrapped": report.rewrapped,
                "destroyed": len(report.destroyed),
            },
        )
    return report
