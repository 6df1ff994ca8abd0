"""The library's section of the client's "My care" page: what their counselor recommended."""

from __future__ import annotations

from typing import Any

from confide.library import services


def client_section(viewer: Any, client: Any) -> dict[str, Any] | None:
    if viewer.pk != client.pk or getattr(viewer, "role", "") != "client":
        return None
    recs = services.recommendations_for(client)
    return {"library_recs": recs} if recs else None
