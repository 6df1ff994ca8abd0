"""Sign-in records (LOG-2, LOG-3): every sign-in, sign-out, failed attempt and factor change.

Records hold time, IP address, user agent, method and a hash of the session key — never a
password, code, key material or content. The messaging domain calls :func:`count_message` so each
sign-in shows how many messages were sent and received during it, and the care domain
:func:`count_goal` for goals assigned, started and completed.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db.models import F, Subquery
from django.http import HttpRequest

from confide.accounts.models import SignInEvent, SignInRecord
from confide.core import network

_UA_MAX = 300


def session_hash(session_key: str | None) -> str:
    """SHA-256 of a session key: lets us match a sign-in to later activity without keeping a
    cookie value someone could replay."""
    if not session_key:
        return ""
    return hashlib.sha256(session_key.encode()).hexdigest()


def client_ip(request: HttpRequest | None) -> str | None:
    """Only forwarded by a trusted proxy does X-Forwarded-For count (confide.core.network)."""
    return network.client_ip(request)


def record_event(
    event: SignInEvent | str,
    *,
    user: Any = None,
    request: HttpRequest | None = None,
    method: str = "",
) -> SignInRecord:
    """Append one record. ``method`` is a short code (password, code, passkey, totp…)."""
    session = getattr(request, "session", None) if request is not None else None
    key = getattr(session, "session_key", None)
    user_agent = request.META.get("HTTP_USER_AGENT", "") if request is not None else ""
    return SignInRecord.objects.create(
        user=user if getattr(user, "pk", None) else None,
        event=str(event),
        method=method[:32],
        ip_address=client_ip(request),
        user_agent=user_agent[:_UA_MAX],
        session_hash=session_hash(key),
    )


def count_message(user_id: int, session_key: str | None, *, sent: bool) -> None:
    """Count one message on the sign-in it happened in (LOG-2).

    Called by messaging for the sender (``sent=True``, their session key) and for each recipient
    (``sent=False``; pass ``None`` when the recipient is not connected: the count then goes to
    their latest sign-in). A missing record is not an error: counting never blocks a message.
    """
    # One UPDATE per call (this runs on every chat message): by session when known, else the
    # latest sign-in through a subquery.
    records = SignInRecord.objects.filter(user_id=user_id, event=SignInEvent.SIGNED_IN)
    column = "messages_sent" if sent else "messages_received"
    increment = {column: F(column) + 1}
    digest = session_hash(session_key)
    if digest and records.filter(session_hash=digest).update(**increment):
        return
    latest = records.order_by("-at", "-id").values("pk")[:1]
    SignInRecord.objects.filter(pk__in=Subquery(latest)).update(**increment)


#: Goal changes counted per sign-in (LOG-2): the change -> its column on the record.
GOAL_COLUMNS = {
    "assigned": "goals_assigned",
    "started": "goals_started",
    "completed": "goals_completed",
}


def count_goal(user_id: int, session_key: str | None, change: str) -> None:
    """Count one goal change (``assigned``, ``started``, ``completed``) on the sign-in of the
    person who made it (LOG-2): a number only, never the goal's text."""
    _increment(user_id, session_key, GOAL_COLUMNS[change])


def _increment(user_id: int, session_key: str | None, column: str) -> None:
    records = SignInRecord.objects.filter(user_id=user_id, event=SignInEvent.SIGNED_IN)
    increment = {column: F(column) + 1}
    digest = session_hash(session_key)
    if digest and records.filter(session_hash=digest).update(**increment):
        return
    latest = records.order_by("-at", "-id").values("pk")[:1]
    SignInRecord.objects.filter(pk__in=Subquery(latest)).update(**increment)


def history_for(user: Any, limit: int = 50) -> list[SignInRecord]:
    """The person's own recent records, newest first."""
    return list(SignInRecord.objects.filter(user=user).order_by("-at", "-id")[:limit])
