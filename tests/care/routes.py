"""Object routes of the care app for the role × route matrix (tests/test_route_matrix.py)."""

from __future__ import annotations

from typing import Any


def object_routes(p: dict[str, Any]) -> dict[str, Any]:
    from confide.care import services
    from tests.test_route_matrix import ObjectRoute

    goal = services.assign_goal(
        p["counselor"], p["client"].pk, services.GoalDraft("Walk daily", "Energy")
    )
    entry = services.write_entry(p["client"], services.EntryDraft("Private words"))
    everyone_else = {"other_counselor", "stranger", "team_leader", "staff", "admin", "anonymous"}
    only_client = everyone_else | {"counselor"}
    return {
        "care:change_goal": ObjectRoute({"goal_id": goal.pk, "change": "start"}, everyone_else),
        "care:entry": ObjectRoute({"entry_id": entry.pk}, only_client),
        "care:delete_entry": ObjectRoute({"entry_id": entry.pk}, only_client),
        "care:share": ObjectRoute({"entry_id": entry.pk, "action": "share"}, only_client),
        "care:client_file": ObjectRoute({"client_id": p["client"].pk}, everyone_else | {"client"}),
    }
