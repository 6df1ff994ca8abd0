"""The notes section of the counselor's client file (registered in apps.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from confide.privacy.access import has_active_care
from confide.records import services

#: The client file shows the newest notes; the notes page lists every one.
RECENT = 10


def notes_context(viewer: Any, client: Any) -> dict[str, Any] | None:
    """The client file's section: the newest notes (read through the access policy)."""
    if getattr(viewer, "role", None) != "counselor":
        return None
    return summary(viewer, client, services.notes_for(viewer, client.pk), limit=RECENT)


def summary(viewer: Any, client: Any, notes: QuerySet[Any], *, limit: int | None) -> dict[str, Any]:
    """What the notes list shows, from notes the caller has already been allowed to read."""
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
