"""Business transfers (SHARE-6): people are told before their data moves.

Staff announce a planned merger or sale (command ``announce_transfer``): every active person is
emailed in their language at once, and nothing can be exported to the recipient before the
notice period (the preset's ``policy_notice_days``) has passed. ``export_for_transfer`` (command
``transfer_export``) is the only way data leaves for a recipient; it refuses before
``moves_at`` and exports only people who were told and have not restricted processing. Someone
who disagrees has the whole notice period to download or erase their data.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from confide.audit import services as audit
from confide.presets import current_preset
from confide.privacy import export
from confide.privacy.models import BusinessTransfer, Restriction


class TransferRefused(Exception):
    """Data may not (yet) move to this recipient."""


def announce_transfer(
    recipient: str, *, notice_days: int | None = None, actor: Any = None
) -> BusinessTransfer:
    """Record a planned transfer and email everyone; the data may move after the notice period,
    never sooner than the preset's."""
    minimum = current_preset().policy_notice_days
    days = minimum if notice_days is None else notice_days
    recipient = recipient.strip()
    if not recipient:
        raise ValueError("name the organisation that would receive the data")
    if days < minimum:
        raise ValueError(f"the notice period is at least {minimum} days")
    from confide.core.tasks import enqueue
    from confide.privacy.tasks import send_transfer_notice

    now = timezone.now()
    with transaction.atomic():
        transfer = BusinessTransfer.objects.create(
            recipient=recipient[:200], announced_at=now, moves_at=now + timedelta(days=days)
        )
        audit.record(
            "privacy.transfer_announced", actor=actor, target=transfer, details={"days": days}
        )
        enqueue(send_transfer_notice, str(transfer.pk))
    return transfer


def check_transfer_allowed(transfer: BusinessTransfer, now: datetime | None = None) -> None:
    """Raise :class:`TransferRefused` unless everyone was told and the notice period is over."""
    now = now or timezone.now()
    if transfer.notice_sent_at is None:
        raise TransferRefused("nobody has been told of this transfer yet")
    if now < transfer.moves_at:
        raise TransferRefused(
            f"the notice period runs until {transfer.moves_at.isoformat()}; no data moves sooner"
        )


def transferable_users(transfer: BusinessTransfer) -> QuerySet[Any]:
    """Active people who were told (joined before the notice went out) and did not restrict
    processing (RIGHTS-4: a restricted person's data is only stored)."""
    restricted = Restriction.objects.values("user_id")
    return (
        get_user_model()
        .objects.filter(is_active=True, date_joined__lte=transfer.notice_sent_at)
        .exclude(pk__in=restricted)
    )


def export_for_transfer(
    transfer: BusinessTransfer, directory: Path, *, actor: Any = None, now: datetime | None = None
) -> int:
    """Write one JSON export per transferable person into ``directory``; refused before the
    notice period has passed. Returns how many people were exported."""
    check_transfer_allowed(transfer, now)
    directory.mkdir(parents=True, exist_ok=True)
    count = 0
    for user_id in transferable_users(transfer).values_list("pk", flat=True).iterator():
        data = export.collect(user_id)
        (directory / f"{user_id}.json").write_text(json.dumps(data, ensure_ascii=False))
        count += 1
    audit.record(
        "privacy.transfer_exported", actor=actor, target=transfer, details={"accounts": count}
    )
    return count


def send_notice(transfer_id: str) -> int:
    """Email every active person the transfer notice in their language; a service message."""
    from django.conf import settings

    from confide.core.mail import send_templated

    transfer = BusinessTransfer.objects.get(pk=transfer_id)
    context = {"transfer": transfer, "site_url": settings.SITE_URL.rstrip("/")}
    sent = 0
    users = get_user_model().objects.filter(is_active=True).only("email", "language")
    for user in users.iterator():
        send_templated(
            "privacy/email/transfer_notice", user.email, context, language=user.language or None
        )
        sent += 1
    transfer.notice_sent_at = timezone.now()
    transfer.save(update_fields=["notice_sent_at"])
    return sent
