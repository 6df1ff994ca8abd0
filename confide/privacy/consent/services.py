"""The consent app's public API. Other apps call these names and nothing deeper.

- Policy documents and acceptance: :func:`current_documents`, :func:`record_acceptance`,
  :func:`needs_reacceptance`, :func:`publish_version`.
- Marketing (CONSENT-4): :func:`grant_marketing`, :func:`withdraw_marketing`,
  :func:`marketing_audience`, :func:`send_marketing`.
- Cookies and tracking (CONSENT-1/2/3): :func:`record_cookie_decision`,
  :func:`guard_advertising_event`, the :func:`clinical` view decorator.
"""

from __future__ import annotations

from confide.privacy.consent.marketing import (
    grant_marketing,
    has_marketing_grant,
    list_unsubscribe_headers,
    marketing_audience,
    may_market_to,
    send_marketing,
    unsubscribe,
    unsubscribe_url,
    withdraw_marketing,
)
from confide.privacy.consent.policies import (
    NewVersion,
    accepted_version,
    archive,
    current_document,
    current_documents,
    needs_reacceptance,
    pending_changes,
    publish_version,
    record_acceptance,
)

__all__ = [
    "NewVersion",
    "accepted_version",
    "archive",
    "current_document",
    "current_documents",
    "grant_marketing",
    "has_marketing_grant",
    "list_unsubscribe_headers",
    "marketing_audience",
    "may_market_to",
    "needs_reacceptance",
    "pending_changes",
    "publish_version",
    "record_acceptance",
    "send_marketing",
    "unsubscribe",
    "unsubscribe_url",
    "withdraw_marketing",
]
