"""This app's sections of the care pages (registered in apps.py, see confide/care/sections.py)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import get_language

from confide.core.times import user_zone
from confide.measures import due, series, services
from confide.measures.forms import ScheduleForm


def _language() -> str:
    return (get_language() or "en")[:2]


def client_measures(viewer: Any, client: Any) -> dict[str, Any] | None:
    """What is due now and the client's own scores over time, in their zone."""
    if viewer.pk != client.pk:
        return None
    results = services.results_of_client(client)
    return {
        "due": services.due_for_client(client),
        "blocks": series.blocks(results, _language(), user_zone(viewer)),
        "viewer_is_client": True,
    }


def counselor_measures(viewer: Any, client: Any) -> dict[str, Any] | None:
    """The client's schedules and results for their counselor; every read goes through the
    access policy and is audited (services.results_for_counselor)."""
    if getattr(viewer, "role", "") != "counselor":
        return None
    schedules = services.schedules_for_counselor(viewer, client.pk)
    results = services.results_for_counselor(viewer, client.pk)
    zone = user_zone(client)
    today = due.local_today(timezone.now(), zone)  # the form starts at the client's today
    return {
        "client": client,
        "schedules": schedules,
        "blocks": series.blocks(results, _language(), user_zone(viewer)),
        "schedule_form": ScheduleForm(initial={"starts_on": today}),
        "client_zone": zone,
        "viewer_is_client": False,
    }
