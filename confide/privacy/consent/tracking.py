"""Whether a page may run analytics for a signed-in person, asked on every page view.

The answer is ``may_process(user_id, "analytics")`` (restriction, objection), cached briefly
because pages ask it constantly; saving or deleting a Restriction or Objection forgets it at
once (signals connected in ``apps.py``), and the cache lifetime bounds any other path. The
analytics endpoint itself asks ``may_process`` uncached before storing anything.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache

from confide.privacy.processing import may_process

TTL_SECONDS = 60


def _key(user_id: int) -> str:
    return f"consent:may-track:{user_id}"


def may_track(user_id: int) -> bool:
    found = cache.get(_key(user_id))
    if found is None:
        found = may_process(user_id, "analytics")
        cache.set(_key(user_id), found, TTL_SECONDS)
    return bool(found)


def forget(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Signal receiver: a restriction or objection changed for ``instance.user_id``."""
    cache.delete(_key(instance.user_id))
