"""Password throttling that an attacker cannot turn against the owner (ACC-4, issue 13.6).

Three layers, none of which locks the owner out:

- allauth's ``login_failed`` limit (``5/15m/key``) is keyed on the account *and* the client's
  address (``AccountAdapter._get_login_attempts_cache_key``): five wrong passwords from one
  address stop that address only, so the owner elsewhere signs in as usual.
- An account-wide ceiling (:data:`CEILING` failures within :data:`WINDOW`, from all addresses
  together) stops password sign-in for the account, so brute force from many addresses gets
  nowhere either. Only passwords stop: the emailed code and passkeys still let the owner in.
  The counter is keyed on the address typed, known or not, so it reveals no accounts.
- The owner is told by email, in their language, once :data:`NOTICE_AFTER` failures have
  piled up, at most once per :data:`NOTICE_PERIOD`.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.core.cache import cache

from confide.accounts.models import User
from confide.core.mail import send_templated

WINDOW = timedelta(hours=1)
CEILING = 50
NOTICE_AFTER = 5
NOTICE_PERIOD = timedelta(hours=24)


def _key(kind: str, email: str) -> str:
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return f"confide:signin:{kind}:{digest}"


def failures(email: str) -> int:
    return int(cache.get(_key("failures", email), 0))


def password_sign_in_paused(email: str) -> bool:
    """True once the account-wide ceiling is reached (until the window passes)."""
    return failures(email) >= CEILING


def record_failed_password(email: str) -> None:
    """Count one wrong password for ``email`` and tell the owner when they pile up."""
    if not email:
        return
    key = _key("failures", email)
    # add() starts the window at the first failure; incr() is atomic on Redis and locmem.
    cache.add(key, 0, timeout=int(WINDOW.total_seconds()))
    try:
        count = cache.incr(key)
    except ValueError:  # the window expired between add() and incr()
        cache.add(key, 1, timeout=int(WINDOW.total_seconds()))
        count = 1
    if count >= NOTICE_AFTER:
        notify_owner(email)


def notify_owner(email: str) -> bool:
    """Email the account's owner about failed attempts, at most once per period. False when
    there is no such account or they were told recently."""
    user = User.objects.filter(email=email.strip().lower()).first()
    if user is None or user.is_blocked:
        return False
    if not cache.add(_key("notice", email), 1, timeout=int(NOTICE_PERIOD.total_seconds())):
        return False
    send_templated(
        "accounts/email/failed_signins",
        user.email,
        {"user": user},
        language=user.language or None,
    )
    return True
