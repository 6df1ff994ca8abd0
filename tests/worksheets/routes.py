"""Object routes of the worksheets app for the role × route matrix (tests/test_route_matrix.py)."""

from __future__ import annotations

from typing import Any


def object_routes(p: dict[str, Any]) -> dict[str, Any]:
    from confide.worksheets import services
    from tests.test_route_matrix import ObjectRoute

    sheet = services.assign(p["counselor"], p["client"].pk, "thought_record")
    everyone_else = {"other_counselor", "stranger", "team_leader", "staff", "admin", "anonymous"}
    return {
        "worksheets:fill": ObjectRoute({"sheet_id": sheet.pk}, everyone_else | {"counselor"}),
        "worksheets:autosave": ObjectRoute({"sheet_id": sheet.pk}, everyone_else | {"counselor"}),
        "worksheets:review": ObjectRoute({"sheet_id": sheet.pk}, everyone_else | {"client"}),
        "worksheets:assign": ObjectRoute({"client_id": p["client"].pk}, everyone_else | {"client"}),
    }
