"""Retention (KEEP-1): rule -> duration from the preset, and the sweep that applies every rule.

A model is swept row by row when every one of its declared fields carries a time-based rule; the
row's age is read from ``PersonalData.age_field`` or the first of the usual timestamp names. A
client's clinical record is deleted, and its clinical key shredded, once the health-records
period counted from their latest entry (last session) has passed, whether or not the account was
erased (``confide.privacy.clinical``).
Before deleting, registered roll-ups fold the rows into anonymous aggregates (SHARE-5). The sweep
records counts only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db import models, transaction
from django.db.models import Count, QuerySet
from django.db.models.deletion import ProtectedError
from django.db.models.functions import TruncMonth
from django.utils import timezone

from confide.presets import current_preset
from confide.privacy import files, registry
from confide.privacy.inventory import ModelDeclaration, all_declarations

logger = logging.getLogger(__name__)

TIME_BASED = frozenset(
    {
        "usage_period",
        "codes_1_day",
        "visitor_1_day",
        "tombstone_30_days",
        "until_done",
        "audit_period",
        "signed_in_session",
        "outbox_copy",
        # Money records: kept for the bookkeeping period (legal hold through erasure), then
        # deleted by age like everything else (KEEP-1).
        "payroll_law",
    }
)
_AGE_FIELDS = ("created_at", "at", "received_at", "since", "started_at", "sent_at", "date_joined")


def duration(rule: str) -> timedelta | None:
    """How long data under ``rule`` is kept (None: as long as the account, or event-bound)."""
    preset = current_preset()
    return {
        "usage_period": preset.usage_data_retention,
        "codes_1_day": preset.verification_code_retention,
        "visitor_1_day": preset.visitor_answers_retention,
        "tombstone_30_days": preset.tombstone_retention,
        "until_done": preset.task_data_retention,
        "audit_period": preset.audit_retention,
        "consent_proof": preset.consent_proof_retention,
        "clinical_hold": preset.clinical_record_hold,
        "payroll_law": preset.payroll_record_retention,
        "signed_in_session": preset.session_absolute_lifetime,
        "outbox_copy": preset.outbox_retention,
    }.get(rule)


def age_field(declaration: ModelDeclaration) -> str | None:
    if declaration.age_field:
        return declaration.age_field
    names = {f.name: f for f in declaration.model._meta.concrete_fields}
    for name in _AGE_FIELDS:
        if isinstance(names.get(name), models.DateTimeField):
            return name
    return None


def row_lifetime(declaration: ModelDeclaration) -> timedelta | None:
    """The longest time-based rule of the model, if all its fields are time-based."""
    rules = {spec.retention for spec in declaration.fields.values()}
    if not rules or not rules <= TIME_BASED:
        return None
    spans = [duration(rule) for rule in rules]
    return max(span for span in spans if span is not None)


def count_by_month(metric: str, date_field: str) -> Callable[[QuerySet[Any]], None]:
    """A roll-up adding the rows about to be deleted to monthly counts (``Aggregate``)."""

    def rollup(queryset: QuerySet[Any]) -> None:
        from confide.privacy.models import Aggregate

        months = (
            queryset.annotate(month=TruncMonth(date_field))
            .values("month")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in months:
            period = row["month"].strftime("%Y-%m")
            aggregate, _ = Aggregate.objects.select_for_update().get_or_create(
                metric=metric, period=period
            )
            aggregate.value += row["n"]
            aggregate.save(update_fields=["value"])

    return rollup


def _delete(declaration: ModelDeclaration, queryset: QuerySet[Any]) -> int:
    for rollup in registry.rollups(declaration.label):
        rollup(queryset)
    count, _ = queryset.delete()
    return count


def _delete_clinical_record(subject_id: int, counts: dict[str, int]) -> None:
    """Delete every row of the subject's clinical record but those under a legal hold
    (``registry.register_hold``), shred its keys once nothing under them remains, end the
    erasure hold when nothing is held any more."""
    from confide.privacy import clinical, crypto
    from confide.privacy.fields import EncryptedField
    from confide.privacy.models import DataKey, LegalHold

    with transaction.atomic():
        kept_scopes: set[str] = set()
        for declaration in clinical.clinical_declarations():
            queryset = declaration.model._default_manager.filter(
                **declaration.subject_filter(subject_id)
            )
            held = registry.held_rows(declaration.label, queryset)
            if held is not None:
                queryset = queryset.exclude(pk__in=list(held.values_list("pk", flat=True)))
            removed = _delete(declaration, queryset)
            if removed:
                key = f"held.{declaration.label.lower()}"
                counts[key] = counts.get(key, 0) + removed
            if held is not None and held.exists():
                kept_scopes |= {
                    f.scope()
                    for f in declaration.model._meta.concrete_fields
                    if isinstance(f, EncryptedField)
                }
                counts["held.legal_hold"] = counts.get("held.legal_hold", 0) + held.count()
        shred = [s for s in DataKey.HELD_SCOPES if s not in kept_scopes]
        crypto.shred(subject_id, shred, keep=())
        if not kept_scopes:
            LegalHold.objects.filter(subject_id=subject_id).delete()
        counts["held.subjects"] = counts.get("held.subjects", 0) + 1


def expire_clinical_records(now: datetime) -> dict[str, int]:
    """Delete clinical records whose legal period, counted from the client's latest entry
    (their last session), has passed — erased account or not — and release ended holds."""
    from confide.privacy import clinical
    from confide.privacy.models import LegalHold

    counts: dict[str, int] = {}
    expired = set(clinical.expired_subjects(now))
    # A hold whose record is already gone (or was dated before this rule) ends on its date.
    expired |= set(LegalHold.objects.filter(until__lte=now).values_list("subject_id", flat=True))
    for subject_id in sorted(expired):
        try:
            _delete_clinical_record(subject_id, counts)
        except ProtectedError:
            logger.warning("retention: a clinical record is protected; retrying next run")
            counts["blocked.clinical"] = counts.get("blocked.clinical", 0) + 1
    return counts


def sweep(now: datetime | None = None) -> dict[str, int]:
    """Apply every declared retention rule once. Returns counts per model label."""
    from confide.audit import services as audit

    now = now or timezone.now()
    counts = expire_clinical_records(now)
    for declaration in all_declarations():
        expired = _expired(declaration, now)
        if expired is None:
            continue
        if declaration.label == "audit.AuditEvent":
            removed = audit.prune_before(expired[f"{age_field(declaration)}__lt"])
        else:
            try:
                with transaction.atomic():
                    queryset = declaration.model._default_manager.filter(**expired)
                    removed = _delete(declaration, queryset)
            except ProtectedError:
                # One model's rows still referenced elsewhere must not stop the others' sweep.
                logger.warning(
                    "retention: %s rows are protected; retrying next run", declaration.label
                )
                counts[f"blocked.{declaration.label.lower()}"] = 1
                continue
        if removed:
            counts[declaration.label.lower()] = removed
    removed = files.sweep(now)
    if removed:
        counts["files.outbox"] = removed
    audit.record("retention.sweep", details=counts)
    return counts


def _expired(declaration: ModelDeclaration, now: datetime) -> dict[str, Any] | None:
    """The ORM filter of the model's rows past their retention, or None if it is not swept by
    time. A row that states its own expiry (``expires_field``) goes when that moment passes."""
    lifetime = row_lifetime(declaration)
    if lifetime is None:
        return None
    if declaration.expires_field:
        return {f"{declaration.expires_field}__lt": now}
    name = age_field(declaration)
    if name is None:
        return None
    return {f"{name}__lt": now - lifetime}
