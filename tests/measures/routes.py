"""Object routes of the measures app for the role × route matrix (tests/test_route_matrix.py)."""

from __future__ import annotations

from typing import Any


def object_routes(p: dict[str, Any]) -> dict[str, Any]:
    from confide.measures import services
    from tests.measures.helpers import PHQ, schedule
    from tests.test_route_matrix import ObjectRoute

    sched = schedule(p["counselor"], p["client"])
    services.submit(p["client"], sched.pk, PHQ)
    second = schedule(p["counselor"], p["client"], "gad7")  # still due: the form would answer
    everyone_else = {"other_counselor", "stranger", "team_leader", "staff", "admin", "anonymous"}
    only_client = everyone_else | {"counselor"}
    return {
        "measures:fill": ObjectRoute({"schedule_id": second.pk}, only_client),
        "measures:schedule": ObjectRoute({"client_id": p["client"].pk}, everyone_else | {"client"}),
        "measures:stop": ObjectRoute({"schedule_id": sched.pk}, everyone_else | {"client"}),
    }
