"""Versioned policy documents, acceptance records, change notices and the re-acceptance rule.

A version is *in effect* once ``effective_at`` has passed; the newest such version is current.
A *material* version that is in effect and newer than what a user accepted blocks them
(:func:`needs_reacceptance`) until they accept it again (CONSENT-5, POLICY-2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation

from confide.audit.services import record as audit
from confide.presets import current_preset
from confide.privacy.consent.models import PolicyAcceptance, PolicyDocument

KINDS = (PolicyDocument.Kind.PRIVACY, PolicyDocument.Kind.TERMS)
_GATE_CACHE_KEY = "consent:material-versions"


def _language(language: str | None) -> str:
    code = (language or translation.get_language() or settings.LANGUAGE_CODE)[:2]
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def document(kind: str, version: int, language: str | None = None) -> PolicyDocument | None:
    """This version in ``language``, falling back to English when it was not translated."""
    rows = {
        d.language: d
        for d in PolicyDocument.objects.filter(
            kind=kind, version=version, language__in={_language(language), "en"}
        )
    }
    return rows.get(_language(language)) or rows.get("en")


def current_version(kind: str, *, at: datetime | None = None) -> int:
    found = PolicyDocument.objects.filter(kind=kind, effective_at__lte=at or timezone.now())
    return found.aggregate(v=Max("version"))["v"] or 0


def current_document(kind: str, language: str | None = None) -> PolicyDocument | None:
    return document(kind, current_version(kind), language)


def current_documents(language: str | None = None) -> dict[str, PolicyDocument]:
    """The privacy policy and terms in force, in ``language`` (default: the active one).

    Keys are ``"privacy"`` and ``"terms"``; use them to show links at sign-up and to pass to
    :func:`record_acceptance`."""
    found = {str(kind): current_document(kind, language) for kind in KINDS}
    return {kind: doc for kind, doc in found.items() if doc is not None}


def pending_changes(language: str | None = None) -> list[PolicyDocument]:
    """Published versions that take effect in the future: the site notice shows these."""
    now = timezone.now()
    versions = (
        PolicyDocument.objects.filter(effective_at__gt=now, published_at__lte=now)
        .values_list("kind", "version")
        .distinct()
    )
    return [d for kind, version in versions if (d := document(kind, version, language))]


def archive(kind: str, language: str | None = None) -> list[PolicyDocument]:
    """Every version of ``kind`` that has taken effect, newest first (POLICY-1)."""
    versions = (
        PolicyDocument.objects.filter(kind=kind, effective_at__lte=timezone.now())
        .values_list("version", flat=True)
        .distinct()
        .order_by("-version")
    )
    return [d for v in versions if (d := document(kind, v, language))]


@transaction.atomic
def record_acceptance(
    user: Any, *, method: str, language: str | None = None
) -> list[PolicyAcceptance]:
    """Record that ``user`` accepts the current privacy policy and terms, as shown in
    ``language``: who, when, which version and the SHA-256 of the exact text. ``method`` is a
    short code such as ``"signup"`` or ``"reacceptance"``."""
    language = _language(language or getattr(user, "language", "") or None)
    rows = []
    for kind, doc in current_documents(language).items():
        rows.append(
            PolicyAcceptance.objects.create(
                user=user,
                kind=kind,
                version=doc.version,
                language=doc.language,
                text_sha256=doc.text_sha256,
                method=method[:40],
            )
        )
        audit(
            "consent.policy_accepted",
            actor=user,
            subject_id=user.pk,
            details={"kind": kind, "version": doc.version, "method": method[:40]},
        )
    return rows


def accepted_version(user: Any, kind: str) -> int:
    found = PolicyAcceptance.objects.filter(user=user, kind=kind)
    return found.aggregate(v=Max("version"))["v"] or 0


def _material_versions_in_effect() -> dict[str, int]:
    """Newest material version in effect per kind, cached briefly (the gate runs per request)."""
    cached: dict[str, int] | None = cache.get(_GATE_CACHE_KEY)
    if cached is not None:
        return cached
    now = timezone.now()
    found: dict[str, int] = {}
    for kind in KINDS:
        rows = PolicyDocument.objects.filter(kind=kind, material=True, effective_at__lte=now)
        version = rows.aggregate(v=Max("version"))["v"]
        if version:
            found[str(kind)] = version
    upcoming = PolicyDocument.objects.filter(material=True, effective_at__gt=now)
    next_change = upcoming.order_by("effective_at").values_list("effective_at", flat=True).first()
    ttl = 300 if next_change is None else max(1, min(300, int((next_change - now).total_seconds())))
    cache.set(_GATE_CACHE_KEY, found, ttl)
    return found


def needs_reacceptance(user: Any) -> bool:
    """True while a material change is in effect that ``user`` has not accepted."""
    material = _material_versions_in_effect()
    if not material:
        return False
    accepted = dict(
        PolicyAcceptance.objects.filter(user=user, kind__in=list(material))
        .values("kind")
        .annotate(v=Max("version"))
        .values_list("kind", "v")
    )
    return any(accepted.get(kind, 0) < version for kind, version in material.items())


@dataclass(frozen=True)
class NewVersion:
    """Texts of one new version, by language: ``{"en": (title, body, summary), …}``."""

    kind: str
    texts: dict[str, tuple[str, str, str]]
    material: bool = True
    reason: str = PolicyDocument.Reason.REVISION


@transaction.atomic
def publish_version(change: NewVersion, *, notice_days: int | None = None) -> list[PolicyDocument]:
    """Publish a new version now, taking effect after the preset's notice period (POLICY-2,
    SHARE-6), and email every active user the notice in their language."""
    if "en" not in change.texts:
        raise ValueError("every policy version needs an English text")
    days = current_preset().policy_notice_days if notice_days is None else notice_days
    now = timezone.now()
    last = PolicyDocument.objects.filter(kind=change.kind).aggregate(v=Max("version"))["v"]
    version = (last or 0) + 1
    rows = [
        PolicyDocument.objects.create(
            kind=change.kind,
            version=version,
            language=language,
            title=title,
            body=body,
            change_summary=summary,
            material=change.material,
            reason=change.reason,
            published_at=now,
            effective_at=now + timedelta(days=days),
        )
        for language, (title, body, summary) in change.texts.items()
    ]
    cache.delete(_GATE_CACHE_KEY)
    audit(
        "consent.policy_published",
        details={"kind": change.kind, "version": version, "notice_days": days},
    )
    from confide.core.tasks import enqueue
    from confide.privacy.consent.tasks import send_policy_notice

    enqueue(send_policy_notice, change.kind, version)
    return rows
