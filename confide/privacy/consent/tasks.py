"""Consent tasks: take ids and codes, never content."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model

from confide.core.mail import send_templated
from confide.core.tasks import periodic
from confide.core.times import user_zone
from confide.privacy.consent.models import PolicyDocument
from confide.privacy.consent.policies import document


@shared_task
def send_policy_notice(kind: str, version: int) -> int:
    """Email every active user the notice of a published change, in their language (POLICY-2,
    SHARE-6). This is a service message, not marketing: everyone affected must be told."""
    from django.utils import timezone

    sent = 0
    users = get_user_model().objects.filter(is_active=True).only("email", "language")
    for user in users.iterator():
        doc = document(kind, version, user.language or None)
        if doc is None:
            continue
        send_templated(
            "consent/email/policy_notice",
            user.email,
            {"doc": doc, "site_url": settings.SITE_URL.rstrip("/")},
            language=user.language or None,
            zone=user_zone(user),
        )
        sent += 1
    PolicyDocument.objects.filter(kind=kind, version=version).update(notice_sent_at=timezone.now())
    return sent


@periodic("consent-expire-visitor-decisions", timedelta(days=1))
@shared_task
def expire_visitor_decisions() -> int:
    """Visitors' decisions have no account to outlive: keep them as proof for the preset's
    consent-proof period, then delete them. Users' decisions go with their account."""
    from django.utils import timezone

    from confide.presets import current_preset
    from confide.privacy.consent.models import ConsentDecision

    cutoff = timezone.now() - current_preset().consent_proof_retention
    old = ConsentDecision.objects.filter(user__isnull=True, decided_at__lt=cutoff)
    deleted, _ = old.delete()
    return deleted
