"""Counselor onboarding, review and profile services. Each step persists, audits and emails, in
that order, inside one transaction (emails leave on commit)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from confide.audit import services as audit
from confide.core.mail import send_templated
from confide.core.times import user_zone
from confide.counselors.models import (
    ApplicationDocument,
    ApplicationStatus,
    CounselorApplication,
    CounselorProfile,
    ProfileTag,
)
from confide.counselors.validators import sniff_document

#: Warn counselors this long before their licence expires.
EXPIRY_WARNING = timedelta(days=30)
PROFILE_TAG_KINDS = ("specialty", "approach", "language", "session_type", "jurisdiction")


def listable_profiles(today: date | None = None) -> QuerySet[CounselorProfile]:
    """Verified counselors with a current licence and an unblocked account: the only profiles
    visible to anyone but their owner and staff, and the only ones matching considers."""
    today = today or timezone.localdate()
    return CounselorProfile.objects.filter(
        verified_at__isnull=False,
        licence_expiry__gte=today,
        user__role="counselor",
        user__is_active=True,
        user__blocked_at__isnull=True,
    )


def _email(template: str, user: Any, context: dict[str, Any]) -> None:
    transaction.on_commit(
        lambda: send_templated(
            f"counselors/email/{template}",
            user.email,
            context,
            language=user.language or None,
            zone=user_zone(user),
        )
    )


@dataclass(frozen=True)
class Document:
    kind: str
    data: bytes


@transaction.atomic
def submit_application(
    user: Any, data: dict[str, Any], documents: list[Document]
) -> CounselorApplication:
    """Create (or, after a request for changes, replace) the user's application. The account
    becomes a counselor account; it sees no client until staff approve (INTAKE-4)."""
    open_app = (
        CounselorApplication.objects.select_for_update()
        .filter(user=user, status=ApplicationStatus.CHANGES_REQUESTED)
        .first()
    )
    if CounselorApplication.objects.filter(user=user, status=ApplicationStatus.SUBMITTED).exists():
        raise ValidationError("already submitted")
    application = CounselorApplication(user=user) if open_app is None else open_app
    for name, value in data.items():
        setattr(application, name, value)
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = timezone.now()
    application.review_reason = ""
    application.save()
    for document in documents:
        content_type = sniff_document(document.data)
        ApplicationDocument.objects.create(
            application=application,
            kind=document.kind,
            content_type=content_type,
            size=len(document.data),
            content=document.data,
        )
    if user.role != "counselor":
        user.role = "counselor"
        user.save(update_fields=["role"])
    audit.record(
        "counselor.application.submitted",
        actor=user,
        subject_id=user.pk,
        target=application,
        details={"documents": len(documents)},
    )
    _email("application_received", user, {"user": user})
    return application


def review_queue() -> QuerySet[CounselorApplication]:
    return CounselorApplication.objects.filter(status=ApplicationStatus.SUBMITTED).select_related(
        "user"
    )


def _require_reviewer(actor: Any) -> None:
    if actor.role not in {"staff", "admin"}:
        raise PermissionDenied


@transaction.atomic
def decide(
    actor: Any, application_id: Any, decision: str, reason: str = ""
) -> CounselorApplication:
    """Staff decision: "approve", "changes" (ask for changes) or "reject". A reason is required
    for the latter two; it is sent to the applicant and kept on the application (not in the
    audit log, which holds codes only)."""
    _require_reviewer(actor)
    application = CounselorApplication.objects.select_for_update().get(pk=application_id)
    if application.status != ApplicationStatus.SUBMITTED:
        raise ValidationError("not waiting for review")
    reason = reason.strip()
    if decision in {"changes", "reject"} and len(reason) < 5:
        raise ValidationError("reason required")
    statuses = {
        "approve": ApplicationStatus.APPROVED,
        "changes": ApplicationStatus.CHANGES_REQUESTED,
        "reject": ApplicationStatus.REJECTED,
    }
    if decision not in statuses:
        raise ValidationError("unknown decision")
    application.status = statuses[decision]
    application.review_reason = reason
    application.decided_at = timezone.now()
    application.decided_by = actor
    application.save()
    user = application.user
    if decision == "approve":
        profile, _created = CounselorProfile.objects.get_or_create(
            user=user, defaults={"display_name": application.legal_name}
        )
        profile.verified_at = application.decided_at
        profile.licence_expiry = application.licence_expiry
        profile.licence_warned_at = None
        profile.save()
        ProfileTag.objects.get_or_create(
            profile=profile, kind="jurisdiction", code=application.licence_jurisdiction
        )
    audit.record(
        f"counselor.application.{decision}",
        actor=actor,
        subject_id=user.pk,
        target=application,
    )
    _email(f"application_{decision}", user, {"user": user, "reason": reason})
    return application


@transaction.atomic
def update_profile(
    user: Any, fields: dict[str, Any], tags: dict[str, list[str]]
) -> CounselorProfile:
    """The counselor edits their public profile. Verification and licence fields are not
    editable here; jurisdictions come only from approved applications."""
    profile, _created = CounselorProfile.objects.get_or_create(
        user=user, defaults={"display_name": user.real_name or user.email.split("@")[0]}
    )
    for name in ("display_name", "bio", "gender", "capacity", "accepting", "photo"):
        if name in fields:
            setattr(profile, name, fields[name])
    profile.save()
    set_tags(profile, tags)
    audit.record("counselor.profile.updated", actor=user, subject_id=user.pk, target=profile)
    return profile


def set_tags(profile: CounselorProfile, tags: dict[str, list[str]]) -> None:
    for kind, codes in tags.items():
        if kind not in PROFILE_TAG_KINDS:
            raise ValueError(kind)
        ProfileTag.objects.filter(profile=profile, kind=kind).exclude(code__in=codes).delete()
        existing = set(
            ProfileTag.objects.filter(profile=profile, kind=kind).values_list("code", flat=True)
        )
        ProfileTag.objects.bulk_create(
            [ProfileTag(profile=profile, kind=kind, code=c) for c in codes if c not in existing]
        )
    profile.__dict__.pop("_tag_cache", None)
    pairs = list(ProfileTag.objects.filter(profile=profile).values_list("kind", "code"))
    profile.search_codes = CounselorProfile.encode_codes(pairs)
    profile.save(update_fields=["search_codes"])


def warn_expiring_licences(today: date | None = None) -> int:
    """Email counselors whose licence expires within EXPIRY_WARNING, once per licence; audit
    those whose licence has expired (they already drop out of matching by the date filter)."""
    today = today or timezone.localdate()
    due = CounselorProfile.objects.filter(
        verified_at__isnull=False,
        licence_expiry__gte=today,
        licence_expiry__lte=today + EXPIRY_WARNING,
        licence_warned_at__isnull=True,
    ).select_related("user")
    count = 0
    for profile in due:
        with transaction.atomic():
            profile.licence_warned_at = timezone.now()
            profile.save(update_fields=["licence_warned_at"])
            audit.record(
                "counselor.licence.expiry_warned",
                actor=None,
                subject_id=profile.user_id,
                target=profile,
                details={"days_left": (profile.licence_expiry - today).days},  # type: ignore[operator]
            )
            _email(
                "licence_expiring",
                profile.user,
                {"user": profile.user, "expiry": profile.licence_expiry},
            )
        count += 1
    return count
