"""May we process this person's data for this purpose? Every processing path asks here
(matching, marketing, analytics, new sessions …) so restriction and objection hold everywhere."""

from __future__ import annotations

from confide.privacy.models import Objection, Restriction

#: Purposes that rest on legitimate interest and can be objected to (RIGHTS-5).
OBJECTABLE = frozenset({"analytics", "product_analytics", "profiling", "research"})


def is_restricted(user_id: int) -> bool:
    return Restriction.objects.filter(user_id=user_id).exists()


def has_objected(user_id: int, purpose: str) -> bool:
    return Objection.objects.filter(user_id=user_id, purpose=purpose).exists()


def may_process(user_id: int, purpose: str) -> bool:
    """False when the person restricted processing, or objected to this purpose."""
    if is_restricted(user_id):
        return False
    return not (purpose in OBJECTABLE and has_objected(user_id, purpose))
