"""Marketing email (CONSENT-4): opt-in grants, one-click unsubscribe, and the one selection
every marketing send goes through.

Transactional and security email never comes here: it goes through ``send_templated`` directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from confide.audit.services import record as audit
from confide.core.mail import send_templated
from confide.core.times import user_zone
from confide.privacy.consent.models import MarketingGrant
from confide.privacy.models import Objection, Restriction
from confide.privacy.processing import has_objected, may_process

_SALT = "consent.unsubscribe"


def grant_marketing(user: Any, *, source: str) -> MarketingGrant:
    """Record an opt-in (for example the unticked box at sign-up). Idempotent: an existing
    current grant is returned unchanged."""
    current = MarketingGrant.objects.filter(user=user, withdrawn_at__isnull=True).first()
    if current is not None:
        return current
    try:
        with transaction.atomic():
            grant = MarketingGrant.objects.create(user=user, source=source[:40])
    except IntegrityError:  # a concurrent grant won the race; it is just as current
        return MarketingGrant.objects.get(user=user, withdrawn_at__isnull=True)
    audit("consent.marketing_granted", actor=user, subject_id=user.pk, details={"source": source})
    return grant


def withdraw_marketing(user_id: int, *, via: str) -> bool:
    """End the current grant, if any. Idempotent; returns whether anything changed. Takes
    effect at once: every send re-reads the grant just before sending."""
    changed = MarketingGrant.objects.filter(user_id=user_id, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now(), withdrawn_via=via[:40]
    )
    if changed:
        audit("consent.marketing_withdrawn", subject_id=user_id, details={"via": via[:40]})
    return bool(changed)


def has_marketing_grant(user_id: int) -> bool:
    return MarketingGrant.objects.filter(user_id=user_id, withdrawn_at__isnull=True).exists()


def may_market_to(user_id: int) -> bool:
    """The per-person rule: a current grant and no restriction or objection in force."""
    return (
        has_marketing_grant(user_id)
        and may_process(user_id, "marketing")
        and not has_objected(user_id, "marketing")
    )


def marketing_audience() -> QuerySet[Any]:
    """Everyone a marketing job may select: current grant, active, not blocked, no
    restriction, no objection to marketing. Every marketing job starts here."""
    granted = MarketingGrant.objects.filter(withdrawn_at__isnull=True).values("user_id")
    restricted = Restriction.objects.values("user_id")
    objected = Objection.objects.filter(purpose="marketing").values("user_id")
    return (
        get_user_model()
        .objects.filter(pk__in=granted, is_active=True, blocked_at__isnull=True)
        .exclude(pk__in=restricted)
        .exclude(pk__in=objected)
    )


def unsubscribe_token(user_id: int) -> str:
    """A signed, deterministic, non-expiring token naming only the user id: links in old
    emails keep working, and every email to a person carries the same link."""
    return signing.Signer(salt=_SALT).sign_object({"u": user_id}, compress=True)


def user_id_from_token(token: str) -> int | None:
    try:
        data = signing.Signer(salt=_SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    value = data.get("u") if isinstance(data, dict) else None
    return value if isinstance(value, int) else None


def unsubscribe(token: str, *, via: str) -> bool | None:
    """One-click unsubscribe, without a session. ``None`` for a bad token, else whether a
    grant was withdrawn now (``False`` when already unsubscribed: idempotent)."""
    user_id = user_id_from_token(token)
    if user_id is None:
        return None
    return withdraw_marketing(user_id, via=via)


def unsubscribe_url(user_id: int) -> str:
    path = reverse("consent:unsubscribe", args=[unsubscribe_token(user_id)])
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def list_unsubscribe_headers(user_id: int) -> dict[str, str]:
    """RFC 2369 + RFC 8058 headers: mail clients POST ``List-Unsubscribe=One-Click`` here."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(user_id)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def send_marketing(template: str, context: dict[str, Any], user_ids: Iterable[int]) -> int:
    """Send one marketing email to each of ``user_ids`` that is still in the audience at the
    moment of sending. Returns how many were sent. ``template`` names an email template pair."""
    sent = 0
    audience = marketing_audience()
    for user in audience.filter(pk__in=list(user_ids)).iterator():
        if not may_market_to(user.pk):  # re-read right before sending: withdrawals win
            continue
        url = unsubscribe_url(user.pk)
        _check_visible_unsubscribe(template, url)
        send_templated(
            template,
            user.email,
            {**context, "user": user, "unsubscribe_url": url},
            language=user.language or None,
            zone=user_zone(user),
            headers=list_unsubscribe_headers(user.pk),
        )
        sent += 1
    audit("consent.marketing_sent", details={"count": sent})
    return sent


def _check_visible_unsubscribe(template: str, url: str) -> None:
    """Every marketing email shows its unsubscribe link: refuse a template that would not."""
    body = render_to_string(f"{template}_body.txt", {"unsubscribe_url": url})
    if url not in body:
        raise ValueError(f"marketing template {template!r} lacks a visible unsubscribe link")


def set_marketing_choice(user: Any, subscribed: bool) -> None:
    """The settings page's opt-in checkbox: grant or withdraw."""
    if subscribed:
        grant_marketing(user, source="settings")
    else:
        withdraw_marketing(user.pk, via="settings")
