"""The clinical record (CARE-7, KEEP-1): the rows the health-records law makes us keep.

A model belongs to it when one of its fields is declared ``keep_under_legal_hold`` under the
``clinical_hold`` rule. The law's period (``preset.clinical_record_hold``) runs from the client's
latest entry in that record — normally the end of their last session — whether or not they ever
erase their account. The retention sweep deletes the whole record, and shreds its key, once the
period has passed; erasure only restricts it meanwhile. The self-service export leaves it out
and says that it exists and whom to ask instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import Max

from confide.presets import current_preset
from confide.privacy.inventory import LEGAL_HOLD, ModelDeclaration, all_declarations

HOLD_RULE = "clinical_hold"


def is_clinical(declaration: ModelDeclaration) -> bool:
    return declaration.subject is not None and any(
        s.erasure == LEGAL_HOLD and s.retention == HOLD_RULE for s in declaration.fields.values()
    )


def clinical_declarations() -> list[ModelDeclaration]:
    return [d for d in all_declarations() if is_clinical(d)]


def entry_date_field(declaration: ModelDeclaration) -> str | None:
    """The field dating a row of the clinical record (``PersonalData.age_field`` or the usual
    timestamp names); a booking declares its end, so a session counts from when it ended."""
    from confide.privacy.retention import age_field

    return age_field(declaration)


def _subject_path(declaration: ModelDeclaration) -> str:
    return "pk" if declaration.subject == "self" else str(declaration.subject)


def last_entries(subject_ids: Iterable[int] | None = None) -> dict[int, datetime]:
    """Per subject: the date of their latest clinical-record entry, across every held model."""
    ids = None if subject_ids is None else list(subject_ids)
    latest: dict[int, datetime] = {}
    for declaration in clinical_declarations():
        name = entry_date_field(declaration)
        if name is None:
            continue
        path = _subject_path(declaration)
        rows: Any = declaration.model._default_manager.exclude(**{f"{path}__isnull": True})
        if ids is not None:
            rows = rows.filter(**{f"{path}__in": ids})
        for row in rows.values(path).annotate(last=Max(name)).order_by():
            subject, at = row[path], row["last"]
            if at is not None and (subject not in latest or at > latest[subject]):
                latest[subject] = at
    return latest


def hold_ends(subject_id: int) -> datetime | None:
    """When the law stops requiring the subject's clinical record (None: there is none)."""
    last = last_entries([subject_id]).get(subject_id)
    return None if last is None else last + current_preset().clinical_record_hold


def expired_subjects(now: datetime) -> list[int]:
    cutoff = now - current_preset().clinical_record_hold
    return sorted(s for s, at in last_entries().items() if at < cutoff)


def keepers(declaration: ModelDeclaration, subject_id: int) -> list[str]:
    """Display names of who keeps the subject's rows of this model (``PersonalData.keeper``)."""
    if not declaration.keeper:
        return []
    from django.contrib.auth import get_user_model

    ids = (
        declaration.model._default_manager.filter(**declaration.subject_filter(subject_id))
        .values_list(f"{declaration.keeper}_id", flat=True)
        .distinct()
    )
    users = get_user_model()._default_manager.filter(pk__in=list(ids)).order_by("pk")
    return [str(getattr(u, "display_name", "") or u) for u in users]


def held_summary(subject_id: int) -> list[dict[str, Any]]:
    """What the clinical record holds about the subject: model, title, number of rows, who
    keeps them (when the model names a keeper) and until when the law keeps them."""
    summary = []
    ends = hold_ends(subject_id)
    for declaration in clinical_declarations():
        count = declaration.model._default_manager.filter(
            **declaration.subject_filter(subject_id)
        ).count()
        if count:
            summary.append(
                {
                    "model": declaration.label,
                    "title": declaration.title_text(),
                    "count": count,
                    "keepers": keepers(declaration, subject_id),
                    "until": ends.isoformat() if ends is not None else None,
                }
            )
    return summary
