"""The one access-policy module (architecture principle 4).

Every view, API endpoint and websocket consumer that touches a client's data asks here, through
``require_client_access`` (raise) or ``can_access_client`` (ask), and every grant to someone other
than the client is written to the audit log. Domains never re-implement these rules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from confide.audit import services as audit

T = TypeVar("T")


class Action(StrEnum):
    VIEW_PROFILE = "view_profile"  # display name, preferences, intake summary
    VIEW_IDENTITY = "view_identity"  # real name, surname, address, phone, email (INTAKE-5)
    VIEW_CLINICAL = "view_clinical"  # intake answers, scores, notes, measures
    WRITE_CLINICAL = "write_clinical"
    MESSAGE = "message"
    SCHEDULE = "schedule"
    JOIN_SESSION = "join_session"


#: Roles that may reach client data only through the audited break-glass path.
BREAK_GLASS_ROLES = frozenset({"team_leader", "staff", "admin"})


def has_active_care(counselor_id: int, client_id: int) -> bool:
    from confide.matching.models import CareRelationship

    return CareRelationship.objects.filter(
        counselor_id=counselor_id, client_id=client_id, ended_at__isnull=True
    ).exists()


def can_access_client(actor: Any, client_id: int, action: Action) -> bool:
    """Pure decision, no audit: for hiding links and buttons."""
    if actor is None or not actor.is_authenticated or actor.is_blocked:
        return False
    if actor.pk == client_id:
        return True
    if actor.role == "counselor":
        return has_passkey(actor) and has_active_care(actor.pk, client_id)
    return False


def require_client_access(
    actor: Any, client_id: int, action: Action, *, target: Any = None, reason: str = ""
) -> None:
    """Raise PermissionDenied unless ``actor`` may perform ``action`` on the client's data;
    audit every access by someone other than the client (LOG-4)."""
    if not can_access_client(actor, client_id, action):
        if actor is not None and getattr(actor, "is_authenticated", False):
            audit.record(
                f"access.denied.{action}", actor=actor, subject_id=client_id, target=target
            )
        raise PermissionDenied
    if actor.pk != client_id:
        audit.record(
            f"access.{action}", actor=actor, subject_id=client_id, target=target, reason=reason
        )


def require_client_access_to_each(
    actor: Any, client_id: int, action: Action, rows: Iterable[T], *, reason: str = ""
) -> list[T]:
    """``require_client_access`` for a list of the client's rows read together (a page of
    shared entries, a chart's results): one decision before the rows are read, then one audit
    event per row, written together. Returns the rows."""
    if not can_access_client(actor, client_id, action):
        require_client_access(actor, client_id, action)  # audits the refusal and raises
    found = list(rows)
    if actor.pk != client_id:
        audit.record_each(
            f"access.{action}", found, actor=actor, subject_id=client_id, reason=reason
        )
    return found


def may_keep_notes(actor: Any, client_id: int, *, author_id: int | None, write: bool) -> bool:
    """Clinical notes (CARE-7) are the counselor's record, never the client's to read: only a
    counselor with a passkey, on notes they wrote; writing needs an active care relationship,
    reading their own notes does not (they keep them for the legal period after care ends)."""
    if actor is None or not actor.is_authenticated or actor.is_blocked:
        return False
    if actor.role != "counselor" or actor.pk == client_id or not has_passkey(actor):
        return False
    if author_id is not None and author_id != actor.pk:
        return False
    return not write or has_active_care(actor.pk, client_id)


def require_note_access(
    actor: Any,
    client_id: int,
    action: Action,
    *,
    author_id: int | None = None,
    target: Any = None,
    reason: str = "",
) -> None:
    """Raise PermissionDenied unless ``actor`` may read or write these clinical notes; audit
    every grant and every refusal (LOG-4)."""
    write = action == Action.WRITE_CLINICAL
    if not may_keep_notes(actor, client_id, author_id=author_id, write=write):
        if actor is not None and getattr(actor, "is_authenticated", False):
            audit.record(
                f"access.denied.notes.{action}", actor=actor, subject_id=client_id, target=target
            )
        raise PermissionDenied
    audit.record(
        f"access.notes.{action}", actor=actor, subject_id=client_id, target=target, reason=reason
    )


def break_glass(
    actor: Any, client_id: int, action: Action, *, reason: str, target: Any = None
) -> None:
    """Team leaders and staff reach client data only with a stated reason, always audited."""
    if actor is None or actor.role not in BREAK_GLASS_ROLES or actor.is_blocked:
        raise PermissionDenied
    if len(reason.strip()) < 10:
        raise PermissionDenied("A reason of at least 10 characters is required.")
    audit.record(
        f"break_glass.{action}",
        actor=actor,
        subject_id=client_id,
        target=target,
        reason=reason.strip(),
    )


def has_passkey(user: Any) -> bool:
    """Clinicians reach client data only with a passkey enrolled (ACC-5). That *this* sign-in
    used it is enforced before any view or socket runs (confide/accounts/passkeys.py)."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.WEBAUTHN).exists()


# --- Route classification -------------------------------------------------------------------------
# Every view of ours carries one of these decorators. It enforces the coarse rule (who may reach
# the route at all) and labels the view so the role × route matrix test can check every URL.
# Object-level rules (is this *your* client?) are enforced inside, through require_client_access.

ALL_ROLES = frozenset({"client", "counselor", "team_leader", "staff", "admin"})


@dataclass(frozen=True)
class AccessRule:
    kind: str  # "public" | "signed_in" | "roles"
    roles: frozenset[str] = frozenset()

    def allows(self, user: Any) -> bool:
        if self.kind == "public":
            return True
        if user is None or not user.is_authenticated or getattr(user, "is_blocked", False):
            return False
        return self.kind == "signed_in" or user.role in self.roles


def _classify(rule: AccessRule) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not rule.allows(request.user):
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.access_rule = rule  # type: ignore[attr-defined]
        return wrapper

    return decorate


#: The Django admin (configuration only; confide/core/admin_policy.py decides what it shows).
ADMIN_SITE = AccessRule("roles", frozenset({"staff", "admin"}))


def may_use_admin(user: Any) -> bool:
    """Staff and platform administrators with Django's staff flag, active and not blocked."""
    return ADMIN_SITE.allows(user) and bool(user.is_active and user.is_staff)


def public(view: Callable[..., Any]) -> Callable[..., Any]:
    """Anyone, signed in or not."""
    return _classify(AccessRule("public"))(view)


def signed_in(view: Callable[..., Any]) -> Callable[..., Any]:
    """Any signed-in, unblocked user."""
    return _classify(AccessRule("signed_in"))(view)


def roles(*names: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Signed-in users with one of these roles."""
    unknown = set(names) - ALL_ROLES
    if unknown:
        raise ValueError(f"unknown roles {unknown}")
    return _classify(AccessRule("roles", frozenset(names)))


# --- Bank details (PAY-3) -----------------------------------------------------------------------
#: Roles that may hold the "payouts" permission; they also need ``is_staff``.
PAYOUTS_ROLES = frozenset({"staff", "admin"})


def may_handle_payouts(actor: Any) -> bool:
    """The "payouts" permission: staff or admin with ``is_staff``, not blocked."""
    if actor is None or not getattr(actor, "is_authenticated", False) or actor.is_blocked:
        return False
    return actor.role in PAYOUTS_ROLES and bool(actor.is_staff)


def require_bank_details(actor: Any, owner_id: int, *, full: bool, target: Any = None) -> None:
    """A counselor's bank details: the counselor sees them masked, the payouts permission sees
    them in full. Every full read and every refusal is audited."""
    own = getattr(actor, "pk", None) == owner_id and getattr(actor, "is_authenticated", False)
    allowed = may_handle_payouts(actor) if full else (bool(own) or may_handle_payouts(actor))
    if not allowed:
        if actor is not None and getattr(actor, "is_authenticated", False):
            audit.record("access.denied.bank_details", actor=actor, subject_id=owner_id)
        raise PermissionDenied
    if full:
        audit.record("access.bank_details", actor=actor, subject_id=owner_id, target=target)
