"""Writing and verifying the audit chain.

Each record stores the hash of its predecessor and its own hash over its fields (sequence number
included), so editing, deleting, inserting or reordering any record breaks the chain. A single
``AuditHead`` row, locked while appending, holds the newest sequence number and hash (so removing
the newest records is detected too) and the anchor left by retention pruning.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
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
        if not isinstance(key, str) or len(key) > 64 or " " in key:
            raise ValueError(f"audit detail key {key!r} must be a short code")
        if isinstance(value, str) and (len(value) > 64 or " " in value):
            raise ValueError(f"audit detail {key!r} looks like free text; store ids or codes only")
        if not isinstance(value, (str, *_ALLOWED_DETAIL_TYPES)):
            raise ValueError(f"audit detail {key!r} must be a scalar")


def _locked_head() -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(id=1).first()
    if head is None:
        # First record ever (or a database from before the head tracked sequence numbers).
        newest = AuditEvent.objects.order_by("-seq").first()
        head, _ = AuditHead.objects.select_for_update().get_or_create(
            id=1,
            defaults={
                "last_hash": newest.hash if newest else GENESIS,
                "last_seq": newest.seq if newest else 0,
            },
        )
    return head


def record(
    action: str,
    *,
    actor: Any = None,
    subject_id: int | None = None,
    target: Any = None,
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. ``actor`` defaults to the request's user (see AuditContextMiddleware).
    One insert and one head update, under the head's row lock, so concurrent writers queue."""
    details = dict(details or {})
    _check_details(details)
    return _append(action, [target], actor, subject_id, reason, details)[0]


def record_each(
    action: str,
    targets: list[Any],
    *,
    actor: Any = None,
    subject_id: int | None = None,
    reason: str = "",
) -> int:
    """One event per target (a list page read row by row), chained exactly as ``record`` would
    chain them one at a time, but under one lock, one insert and one head update."""
    if not targets:
        return 0
    return len(_append(action, targets, actor, subject_id, reason, {}))


def _append(
    action: str,
    targets: list[Any],
    actor: Any,
    subject_id: int | None,
    reason: str,
    details: dict[str, Any],
) -> list[AuditEvent]:
    """Chain one event per target (``None``: no target) after the head, under its row lock."""
    if actor is None:
        actor = current_context().user
    actor_id = getattr(actor, "pk", None)
    role = (getattr(actor, "role", "") or "") if actor_id else "system"
    with transaction.atomic():
        head = _locked_head()
        # Normally last_seq + 1; a row inserted behind the log's back (tampering, or a head
        # predating last_seq) must not stop logging: go past it, and verification flags it.
        newest = AuditEvent.objects.aggregate(m=Max("seq"))["m"] or 0
        seq, prev, now = max(head.last_seq, newest), head.last_hash, timezone.now()
        events = []
        for target in targets:
            seq += 1
            event = AuditEvent(
                seq=seq,
                at=now,
                actor_id=actor_id,
                actor_role=role,
                action=action[:80],
                subject_id=subject_id,
                target_type=type(target)._meta.label_lower if target is not None else "",
                target_id=str(target.pk) if target is not None else "",
                reason=reason[:300],
                details=details,
                prev_hash=prev,
            )
            event.hash = prev = _digest(event.prev_hash, _hashed_fields(event))
            events.append(event)
        AuditEvent.objects.bulk_create(events)
        head.last_hash, head.last_seq = prev, seq
        head.save(update_fields=["last_hash", "last_seq"])
    return events


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken: int | None
    problem: str

    @property
    def ok(self) -> bool:
        return self.first_broken is None


def verify_chain() -> ChainReport:
    """Recompute every link from the anchor (genesis, or the last pruned record). Detects an
    edited, deleted, inserted or reordered record, and removal of the newest records."""
    head = AuditHead.objects.filter(id=1).first()
    expected_prev = head.anchor_hash if head else GENESIS
    expected_seq = (head.anchor_seq if head else 0) + 1
    checked = 0
    events = AuditEvent.objects.filter(seq__gte=expected_seq - 1).order_by("seq")
    for event in events.iterator(chunk_size=2000):
        if event.seq != expected_seq:
            if event.seq < expected_seq:
                return ChainReport(checked, event.seq, "predates the anchor of pruned records")
            return ChainReport(checked, expected_seq, "this record is missing")
        if event.prev_hash != expected_prev:
            return ChainReport(checked, event.seq, "does not follow the previous record")
        if _digest(event.prev_hash, _hashed_fields(event)) != event.hash:
            return ChainReport(checked, event.seq, "its contents were changed")
        expected_prev = event.hash
        expected_seq += 1
        checked += 1
    if head is None:
        if checked:
            return ChainReport(checked, 1, "the chain head is missing")
        return ChainReport(0, None, "")
    if head.last_hash != expected_prev or head.last_seq not in (0, expected_seq - 1):
        return ChainReport(checked, expected_seq, "the newest records were removed")
    return ChainReport(checked, None, "")


def prune_before(cutoff: datetime) -> int:
    """Delete records older than ``cutoff`` (audit retention), moving the anchor to the newest
    removed record so the rest of the chain still verifies. Returns the count removed."""
    with transaction.atomic():
        head = _locked_head()
        last_old = (
            AuditEvent.objects.filter(at__lt=cutoff, seq__gt=head.anchor_seq)
            .order_by("-seq")
            .first()
        )
        if last_old is None:
            return 0
        count, _ = AuditEvent.objects.filter(seq__lte=last_old.seq).delete()
        head.anchor_seq, head.anchor_hash = last_old.seq, last_old.hash
        head.save(update_fields=["anchor_seq", "anchor_hash"])
    return count


def events_about(subject_id: int, limit: int | None = None) -> list[AuditEvent]:
    """Who touched this person's data, newest first, for their privacy centre."""
    events = (
        AuditEvent.objects.filter(subject_id=subject_id)
        .exclude(actor_id=subject_id)
        .order_by("-seq")
    )
    return list(events[:limit] if limit else events)
