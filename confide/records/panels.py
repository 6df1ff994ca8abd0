"""The notes section of the counselor's client file (registered in apps.py)."""

from __future__ import annotations

from typing import Any

from confide.privacy.access import has_active_care
from confide.records import services


def notes_context(viewer: Any, client: Any) -> dict[str, Any] | None:
    if getattr(viewer, "role", None) != "counselor":
        return None
    notes = list(services.notes_for(viewer, client.pk))
    return {
        "client": client,
        "notes": notes,
        "signed_count": sum(1 for n in notes if n.is_signed),
        "may_write": has_active_care(viewer.pk, client.pk),
    }
