"""This app's own sections of the care pages, registered like any other app's (sections.py)."""

from __future__ import annotations

from typing import Any

from confide.care import services
from confide.care.forms import GoalForm


def next_session(viewer: Any, client: Any) -> dict[str, Any] | None:
    """The client's next requested or confirmed session (confide.scheduling)."""
    from confide.scheduling.models import Booking
    from confide.scheduling.services import bookings_of

    upcoming, _past, _visible = bookings_of(client)
    live = [b for b in upcoming if b.status in (Booking.Status.REQUESTED, Booking.Status.CONFIRMED)]
    return {"booking": live[0] if live else None}


def client_goals(viewer: Any, client: Any) -> dict[str, Any]:
    goals = services.goals_of_client(client)
    rows = [(goal, services.allowed_changes(viewer, goal)) for goal in goals]
    return {"goal_rows": rows, "goal_form": GoalForm()}


def client_journal(viewer: Any, client: Any) -> dict[str, Any]:
    entries = services.entries_of_client(client)
    return {
        "recent": entries[:3],
        "entry_count": len(entries),
        "shared_count": sum(1 for e in entries if e.shared_with_id),
    }


def counselor_goals(viewer: Any, client: Any) -> dict[str, Any]:
    goals = services.goals_for_counselor(viewer, client.pk)
    return {"goal_rows": [(goal, services.allowed_changes(viewer, goal)) for goal in goals]}


def counselor_journal(viewer: Any, client: Any) -> dict[str, Any]:
    return {"shared": services.shared_entries_for_counselor(viewer, client.pk)}
