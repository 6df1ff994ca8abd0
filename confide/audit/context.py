"""Who is acting in the current request or task, for audit records."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class AuditContext:
    user: Any = None


_EMPTY = AuditContext()
_current: ContextVar[AuditContext] = ContextVar("audit_context", default=_EMPTY)


def current_context() -> AuditContext:
    return _current.get()


def set_context(context: AuditContext) -> Any:
    return _current.set(context)


def reset_context(token: Any) -> None:
    _current.reset(token)
