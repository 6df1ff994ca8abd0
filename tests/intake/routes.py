"""Object routes of the intake app for the role × route matrix (public questionnaire steps)."""

from __future__ import annotations

from typing import Any


def object_routes(p: dict[str, Any]) -> dict[str, Any]:
    from tests.test_route_matrix import ObjectRoute

    return {"intake:step": ObjectRoute({"key": "phq9"}, set())}
