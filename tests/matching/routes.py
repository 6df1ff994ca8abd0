"""Object routes of the matching app for the role × route matrix (tests/test_route_matrix.py)."""

from __future__ import annotations

from typing import Any


def object_routes(p: dict[str, Any]) -> dict[str, Any]:
    from tests.test_route_matrix import ObjectRoute

    client_id = {"client_id": p["client"].pk}
    # The counselor has care of the client; the unrelated counselor must be refused. Team leaders
    # and staff get only the break-glass form on GET (no data), so they are not "denied" here.
    return {
        "matching:client_detail": ObjectRoute(client_id, {"other_counselor", "stranger", "client"}),
        "matching:flag_seen": ObjectRoute(client_id, {"other_counselor"}),
    }
