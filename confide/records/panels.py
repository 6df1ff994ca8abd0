"""The notes section of the counselor's client file (registered in apps.py)."""

from __future__ import annotations

from typing import Any

from confide.privacy.access import has_active_care
from confide.records import services

#: The client file shows the newest notes; the notes page lists every one.
RECENT = 10


def notes_context(viewer: Any, client: Any, *, limit: int | None = RECENT) -> dict[str, Any] | None:
    if getattr(viewer, "role", None) != "counselor":
        return None
    notes = services.notes_for(viewer, client.pk)
    total = notes.count()
    shown = list(notes[:limit] if limit else notes)
    return {
        "client": client,
        "notes": shown,
        "total": total,
        "more": total - len(shown),
        "signed_count": notes.filter(status="signed").count(),
        "may_write": has_active_care(viewer.pk, client.pk),
    }


def all_notes_context(viewer: Any, client: Any) -> dict[str, Any] | None:
    return notes_context(viewer, client, limit=None)
