"""This app's sections of the care pages (confide/care/sections.py): the client's worksheets on
"My care", and the counselor's on the client file. Both read through the services, so the
access policy decides and audits."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from confide.worksheets import services
from confide.worksheets.forms import AssignForm
from confide.worksheets.models import Worksheet


def client_section(viewer: Any, client: Any) -> dict[str, Any] | None:
    """To do (assigned, with due dates), drafts, and handed in."""
    if viewer.pk != client.pk or getattr(viewer, "role", "") != "client":
        return None
    sheets = services.worksheets_of_client(client)
    return {
        "todo": [s for s in sheets if s.state == Worksheet.State.ASSIGNED],
        "drafts": [s for s in sheets if s.state == Worksheet.State.DRAFT],
        "done": [s for s in sheets if s.state in services.SHARED],
    }


def counselor_section(viewer: Any, client: Any) -> dict[str, Any] | None:
    try:
        sheets = services.worksheets_for_counselor(viewer, client.pk)
    except PermissionDenied:
        return None
    return {"sheets": sheets, "assign_form": AssignForm(), "ws_client": client}
