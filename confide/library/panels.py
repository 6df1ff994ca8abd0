"""The library's sections of the care pages: on "My care", what the counselor recommended; on
the counselor's client file, what they recommended to that client (read through the policy)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from confide.library import services


def client_section(viewer: Any, client: Any) -> dict[str, Any] | None:
    if viewer.pk != client.pk or getattr(viewer, "role", "") != "client":
        return None
    recs = services.recommendations_for(client)
    return {"library_recs": recs} if recs else None


def counselor_section(viewer: Any, client: Any) -> dict[str, Any] | None:
    try:
        recs = services.recommendations_by(viewer, client.pk)
    except PermissionDenied:
        return None
    return {"library_recs": recs}
