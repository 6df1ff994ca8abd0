"""Object routes of the records app for the role × route matrix (tests/test_route_matrix.py)."""

from __future__ import annotations

from typing import Any


def object_routes(p: dict[str, Any]) -> dict[str, Any]:
    from confide.records import services
    from tests.test_route_matrix import ObjectRoute

    note = services.create_note(p["counselor"], p["client"].pk, "free", {"text": "Private note"})
    services.sign_note(p["counselor"], note.pk)
    only_author = {"client", "other_counselor", "stranger", "team_leader", "staff", "admin"}
    only_author |= {"anonymous"}
    client = {"client_id": p["client"].pk}
    return {
        "records:note": ObjectRoute({"note_id": note.pk}, only_author),
        "records:addendum": ObjectRoute({"note_id": note.pk}, only_author),
        "records:hold": ObjectRoute({"note_id": note.pk, "action": "place"}, only_author),
        "records:client_notes": ObjectRoute(client, only_author),
        "records:new_note": ObjectRoute(client, only_author),
        "records:record": ObjectRoute(client, only_author),
    }
