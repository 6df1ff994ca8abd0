"""The person's "who accessed your records, and why" list, read from the audit chain.

The chain keeps one record per access (a chat socket that reconnects ten times writes ten), which
is right for the audit and unreadable for a person. For display only, consecutive records of the
same person doing the same thing for the same stated reason within ``WINDOW`` become one row with
a count and a time span; the records themselves are never merged or removed. Each row says why:
the reason the actor had to give (staff, team leaders, emergency access), or else the purpose the
access policy allows that kind of access for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _

from confide.audit.services import events_about

#: Records no further apart than this from the one before read as one visit.
WINDOW = timedelta(minutes=10)
#: How many audit records the page reads to build its rows.
READ_AT_MOST = 500

#: Why each kind of actor may reach a client's data when no reason had to be given.
PURPOSE_BY_ROLE = {
    "counselor": _("your care with this counselor"),
    "client": _("a session or conversation you share"),
}
SYSTEM_PURPOSE = _("automatic upkeep: retention periods, reminders and security")
OTHER_PURPOSE = _("running the service you signed up for")


@dataclass
class AccessRow:
    actor_id: int | None
    actor_role: str
    action: str
    reason: str
    first: datetime
    last: datetime
    count: int = 1

    @property
    def purpose(self) -> str:
        if self.reason:
            return self.reason
        if self.actor_id is None:
            return str(SYSTEM_PURPOSE)
        return str(PURPOSE_BY_ROLE.get(self.actor_role, OTHER_PURPOSE))

    def same_visit(self, event: Any) -> bool:
        return (
            event.actor_id == self.actor_id
            and event.action == self.action
            and (event.reason or "") == self.reason
            and self.first - event.at <= WINDOW
        )


def access_rows(subject_id: int, limit: int = 50) -> list[AccessRow]:
    """Newest first: at most ``limit`` rows, each one visit of one actor doing one thing."""
    rows: list[AccessRow] = []
    for event in events_about(subject_id, limit=READ_AT_MOST):
        if rows and rows[-1].same_visit(event):
            rows[-1].first = event.at
            rows[-1].count += 1
            continue
        if len(rows) == limit:
            break
        rows.append(
            AccessRow(
                event.actor_id,
                event.actor_role,
                event.action,
                event.reason or "",
                first=event.at,
                last=event.at,
            )
        )
    return rows
