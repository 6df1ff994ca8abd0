"""Writing and verifying the audit chain."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from confide.audit.context import current_context
from confide.audit.models import AuditEvent, AuditHead

GENESIS = "0" * 64
_ALLOWED_DETAIL_TYPES = (int, float, bool, type(None))


def _digest(prev_hash: str, fields: dict[str, Any]) -> str:
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{prev_hash}|{canonical}".encode()).hexdigest()


def _hashed_fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "at": event.at.isoformat(),
        "actor_id": event.actor_id,
        "actor_role": event.actor_role,
        "action": event.action,
        "subject_id": event.subject_id,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "reason": event.reason,
        "details": event.details,
    }


def _check_details(details: dict[str, Any]) -> None:
    # Free text could carry content; only numbers, flags and short codes are allowed.
    for key, value in details.items():
        if isinstance(value, str) and (len(value) > 64 or " " in value):
            raise ValueError(f"audit detail {key!r} looks like free text; store ids or codes only")
        if not isinstance(value, (str, *_ALLOWED_DETAIL_TYPES)):
            raise ValueError(f"audit detail {key!r} must be a scalar")


def record(
    action: str,
    *,
    actor: Any = None,
    subject_id: int | None = None,
    target: Any = None,
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. ``actor`` defaults to the request's user (see AuditContextMiddleware)."""
    details = dict(details or {})
    _check_details(details)
    context = current_context()
    if actor is None:
        actor = context.user
    actor_id = getattr(actor, "pk", None)
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(
            id=1, defaults={"last_hash": GENESIS}
        )
        event = AuditEvent(
            at=timezone.now(),
            actor_id=actor_id,
            actor_role=getattr(actor, "role", "") if actor_id else "system",
            action=action,
            subject_id=subject_id,
            target_type=type(target)._meta.label_lower if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            reason=reason[:300],
            details=details,
            prev_hash=head.last_hash,
            hash="pending",
        )
        event.save()
        event.hash = _digest(event.prev_hash, _hashed_fields(event))
        event.save(update_fields=["hash"])
        head.last_hash = event.hash
        head.save(update_fields=["last_hash"])
    return event


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken: int | None
    problem: str

    @property
    def ok(self) -> bool:
        return self.first_broken is None


def verify_chain() -> ChainReport:
    """Recompute every link. Detects an edited, deleted, inserted or reordered record."""
    expected_prev = GENESIS
    checked = 0
    last_seq = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if event.prev_hash != expected_prev:
            return ChainReport(checked, event.seq, "does not follow the previous record")
        if _digest(event.prev_hash, _hashed_fields(event)) != event.hash:
            return ChainReport(checked, event.seq, "its contents were changed")
        expected_prev = event.hash
        last_seq = event.seq
        checked += 1
    head = AuditHead.objects.filter(id=1).first()
    if head is not None and head.last_hash != expected_prev:
        return ChainReport(checked, last_seq + 1, "the newest records were removed")
    return ChainReport(checked, None, "")


def events_about(subject_id: int) -> list[AuditEvent]:
    """Who touched this person's data, for their privacy centre."""
    return list(
        AuditEvent.objects.filter(subject_id=subject_id)
        .exclude(actor_id=subject_id)
        .order_by("-seq")
    )
