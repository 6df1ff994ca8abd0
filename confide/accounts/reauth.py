"""Re-authentication before sensitive acts (ACC-4): changing factors, export, erasure.

Other domains decorate their sensitive views with :func:`require_recent_reauth`::

    from confide.accounts.reauth import require_recent_reauth

    @roles("client")
    @require_recent_reauth
    def export(request): ...

If the person has not proven who they are within ``ACCOUNT_REAUTHENTICATION_TIMEOUT`` (5 min),
allauth's middleware sends them to its re-authentication page (password, authenticator app or
passkey, whichever they have) and then replays the request. GETs are gated too unless
``allow_get=True``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from allauth.account.decorators import reauthentication_required
from django.http import HttpRequest


def require_recent_reauth(
    view: Callable[..., Any] | None = None, *, allow_get: bool = False
) -> Any:
    """View decorator: demand a fresh re-authentication (raises allauth's
    ``ReauthenticationRequired``, which its middleware turns into a redirect)."""
    decorator = reauthentication_required(allow_get=allow_get)
    if view is not None:
        return decorator(view)
    return decorator


def recently_reauthenticated(request: HttpRequest) -> bool:
    """Ask without raising (for hiding or labelling a button)."""
    from allauth.account.internal.flows.reauthentication import did_recently_reauthenticate

    return bool(did_recently_reauthenticate(request))


def mark_recently_authenticated(session: Any, user: Any, method: str = "password") -> None:
    """For tests of other domains: make a ``force_login`` session count as freshly
    re-authenticated (save ``session`` afterwards: ``s = client.session; …; s.save()``)."""
    from allauth.account.internal.flows import login as login_flows
    from allauth.account.internal.userkit import user_id_to_str

    key = login_flows.AUTHENTICATION_METHODS_SESSION_KEY
    records = list(session.get(key, []))
    records.append(
        {"method": method, "at": time.time(), "email": user.email, "reauthenticated": True}
    )
    session[key] = records
    session[login_flows._AUTHENTICATION_METHODS_USER_SESSION_KEY] = user_id_to_str(user)
