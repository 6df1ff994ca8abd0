"""Matching (INTAKE-2): hard filters in SQL, then scored preferences (factors.py) in one pass
over the candidates, with a constant number of queries whatever the number of counselors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from confide.audit import services as audit
from confide.core.mail import send_templated
from confide.counselors.models import CounselorProfile, ProfileTag
from confide.counselors.services import listable_profiles
from confide.matching import factors
from confide.matching.factors import Candidate, Needs
from confide.matching.models import CareRelationship, ChangeRequest
from confide.presets import current_preset
from confide.privacy.processing import may_process

SUGGESTIONS = 3


class MatchingRestricted(PermissionDenied):
    """The client restricted processing; matching must not run (RIGHTS)."""


@dataclass(frozen=True)
class Suggestion:
    profile_id: int
    counselor_id: int
    display_name: str
    score: float
    reasons: list[str]


def needs_for(client: Any) -> Needs:
    """The client's matching needs from their latest intake answers (codes only)."""
    from confide.intake.services import client_answers

    answers = client_answers(client.pk)
    reason = answers.get("intake_reason", {})
    prefs = answers.get("intake_preferences", {})
    location = answers.get("intake_location", {})
    preset = current_preset()
    languages = tuple(prefs.get("pref_language") or [client.language or preset.default_language])
    return Needs(
        client_id=client.pk,
        languages=languages,
        country=(location.get("country") or preset.jurisdiction).upper(),
        region=(location.get("region") or "").strip().upper(),
        specialties=tuple(reason.get("reason") or ()),
        gender=prefs.get("pref_gender") or "",
        session_type=prefs.get("pref_session") or "",
        times=tuple(prefs.get("pref_times") or ()),
    )


def _active_load() -> Subquery:
    return Subquery(
        CareRelationship.objects.filter(counselor_id=OuterRef("user_id"), ended_at__isnull=True)
        .values("counselor_id")
        .annotate(n=Count("id"))
        .values("n"),
        output_field=IntegerField(),
    )


def eligible(
    needs: Needs, exclude: set[int] | frozenset[int] = frozenset()
) -> QuerySet[CounselorProfile]:
    """Hard filters: verified with a current licence, licence covers the client's country or
    region, a shared language, accepting clients, below capacity, not excluded."""
    places = [needs.country] + ([f"{needs.country}-{needs.region}"] if needs.region else [])
    tag = ProfileTag.objects.filter(profile=OuterRef("pk"))
    return (
        listable_profiles()
        .filter(accepting=True)
        .annotate(load=Coalesce(_active_load(), Value(0)))
        .filter(load__lt=F("capacity"))
        .filter(Exists(tag.filter(kind="language", code__in=needs.languages)))
        .filter(Exists(tag.filter(kind="jurisdiction", code__in=places)))
        .exclude(user_id__in=exclude)
    )


def candidates(needs: Needs, exclude: set[int] | frozenset[int] = frozenset()) -> list[Candidate]:
    """Two queries: the filtered profiles, then all their tags."""
    query = eligible(needs, exclude)
    found = {
        row["pk"]: Candidate(
            profile_id=row["pk"],
            user_id=row["user_id"],
            display_name=row["display_name"],
            gender=row["gender"],
            capacity=row["capacity"],
            load=row["load"],
        )
        for row in query.values("pk", "user_id", "display_name", "gender", "capacity", "load")  # type: ignore[misc]
    }
    rows = ProfileTag.objects.filter(profile__in=query.values("pk")).values_list(
        "profile_id", "kind", "code"
    )
    for profile_id, kind, code in rows:
        candidate = found.get(profile_id)
        if candidate is not None:
            candidate.tags.setdefault(kind, set()).add(code)
    return list(found.values())


def rank(needs: Needs, pool: list[Candidate], limit: int = SUGGESTIONS) -> list[Suggestion]:
    """Score every candidate with every factor; best first, ties to the less loaded."""
    active = factors.active()
    for factor in active:
        factor.prepare(needs, pool)
    scored = []
    for candidate in pool:
        total = 0.0
        reasons: list[tuple[float, str]] = []
        for factor in active:
            value, reason = factor.score(needs, candidate)
            total += factor.weight * value
            if reason:
                reasons.append((factor.weight * value, reason))
        scored.append((total, candidate, reasons))
    scored.sort(key=lambda item: (-item[0], item[1].load, item[1].profile_id))
    return [
        Suggestion(
            c.profile_id,
            c.user_id,
            c.display_name,
            round(total, 3),
            [r for _w, r in sorted(reasons, key=lambda x: -x[0])][:4],
        )
        for total, c, reasons in scored[:limit]
    ]


def suggest(client: Any, exclude: set[int] | frozenset[int] = frozenset()) -> list[Suggestion]:
    """Up to three suggestions for ``client``, never including ``exclude`` (counselor user ids)
    nor their current counselor. Raises MatchingRestricted when processing is restricted."""
    if not may_process(client.pk, "matching"):
        raise MatchingRestricted
    current = current_counselor_id(client)
    excluded = set(exclude) | ({current} if current else set())
    needs = needs_for(client)
    return rank(needs, candidates(needs, excluded))


def current_counselor_id(client: Any) -> int | None:
    return (
        CareRelationship.objects.filter(client=client, ended_at__isnull=True)
        .values_list("counselor_id", flat=True)
        .first()
    )


@transaction.atomic
def choose(client: Any, counselor_id: int) -> CareRelationship:
    """Start care with a counselor who still passes every hard filter; ends any current one."""
    if not may_process(client.pk, "matching"):
        raise MatchingRestricted
    needs = needs_for(client)
    if not eligible(needs).filter(user_id=counselor_id).exists():
        raise ValidationError("counselor not available")
    now = timezone.now()
    CareRelationship.objects.select_for_update().filter(
        client=client, ended_at__isnull=True
    ).update(ended_at=now)
    care = CareRelationship.objects.create(client=client, counselor_id=counselor_id)
    audit.record("matching.chosen", actor=client, subject_id=client.pk, target=care)
    counselor = care.counselor
    transaction.on_commit(
        lambda: send_templated(
            "matching/email/new_client", counselor.email, {}, language=counselor.language or None
        )
    )
    return care


@transaction.atomic
def request_change(client: Any, reason: str = "") -> ChangeRequest:
    """End the current care relationship. The reason (optional) is stored encrypted for the
    service team and never shown or sent to the previous counselor."""
    care = (
        CareRelationship.objects.select_for_update()
        .filter(client=client, ended_at__isnull=True)
        .select_related("counselor")
        .first()
    )
    if care is None:
        raise ValidationError("no current counselor")
    care.ended_at = timezone.now()
    care.save(update_fields=["ended_at"])
    change = ChangeRequest.objects.create(
        client=client, previous_counselor=care.counselor, reason=reason.strip()
    )
    audit.record(
        "matching.change_requested",
        actor=client,
        subject_id=client.pk,
        target=care,
        details={"with_reason": bool(reason.strip())},
    )
    counselor = care.counselor
    transaction.on_commit(
        lambda: send_templated(
            "matching/email/care_ended", counselor.email, {}, language=counselor.language or None
        )
    )
    return change


def clients_of(counselor: Any) -> QuerySet[CareRelationship]:
    return CareRelationship.objects.filter(
        counselor=counselor, ended_at__isnull=True
    ).select_related("client")


def listable(profile_id: int) -> bool:
    return listable_profiles().filter(pk=profile_id).exists()
