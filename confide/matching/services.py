"""Matching (INTAKE-2): hard filters in SQL, then scored preferences (factors.py) in one pass
over the candidates, with a constant number of queries whatever the number of counselors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import (
    Count,
    ExpressionWrapper,
    FloatField,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from confide.audit import services as audit
from confide.core.mail import send_templated
from confide.core.sockets import access_changed
from confide.core.times import user_zone
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
        timezone=client.timezone or preset.default_timezone,
    )


def _active_load() -> Subquery:
    return Subquery(
        CareRelationship.objects.filter(counselor_id=OuterRef("user_id"), ended_at__isnull=True)
        .values("counselor_id")
        .annotate(n=Count("id"))
        .values("n"),
        output_field=IntegerField(),
    )


def _full_counselors() -> Any:
    """Counselors whose active care relationships reach their capacity. Uncorrelated, so the
    database evaluates it once per search (its cost grows with active clients, not with the
    number of counselors), instead of counting per counselor row."""
    capacity = CounselorProfile.objects.filter(user_id=OuterRef("counselor_id")).values("capacity")[
        :1
    ]
    return (
        CareRelationship.objects.filter(ended_at__isnull=True)
        .values("counselor_id")
        .annotate(n=Count("id"))
        .filter(n__gte=Subquery(capacity))
        .values("counselor_id")
    )


def eligible(
    needs: Needs, exclude: set[int] | frozenset[int] = frozenset()
) -> QuerySet[CounselorProfile]:
    """Hard filters: verified with a current licence, licence covers the client's country or
    region, a shared language, accepting clients, below capacity, not excluded."""
    places = [needs.country] + ([f"{needs.country}-{needs.region}"] if needs.region else [])
    return (
        listable_profiles()
        .filter(accepting=True)
        .filter(capacity__gt=0)
        .exclude(user_id__in=_full_counselors())
        .annotate(load=Coalesce(_active_load(), Value(0)))
        .filter(factors.has_any("language", needs.languages))
        .filter(factors.has_any("jurisdiction", places))
        .exclude(user_id__in=exclude)
    )


#: How many of the best SQL-scored counselors Python-side factors re-rank.
SHORTLIST = 30


def ranked(
    needs: Needs, exclude: set[int] | frozenset[int] = frozenset(), limit: int = SUGGESTIONS
) -> list[Suggestion]:
    """The best ``limit`` eligible counselors with their reasons. The database scores every
    eligible counselor with the SQL factors and returns a shortlist (one query); Python factors
    re-rank it; one more query loads the shortlist's tags for the reasons."""
    active = factors.active()
    total: Any = Value(0.0, output_field=FloatField())
    for factor in active:
        expression = factor.expression(needs)
        if expression is not None and factor.weight:
            total = total + Value(factor.weight, output_field=FloatField()) * expression
    rows = (
        eligible(needs, exclude)  # type: ignore[misc]
        .annotate(score=ExpressionWrapper(total, output_field=FloatField()))
        .order_by("-score", "load", "pk")
        .values("pk", "user_id", "display_name", "gender", "capacity", "load", "score")[
            : max(limit, SHORTLIST)
        ]
    )
    shortlist = [
        Candidate(
            profile_id=row["pk"],
            user_id=row["user_id"],
            display_name=row["display_name"],
            gender=row["gender"],
            capacity=row["capacity"],
            load=row["load"],
            sql_score=float(row["score"] or 0.0),
        )
        for row in rows
    ]
    python_side = [f for f in active if f.expression(needs) is None]
    for factor in python_side:
        factor.prepare(needs, shortlist)
    scored = [
        (c.sql_score + sum(f.weight * f.score(needs, c) for f in python_side), c) for c in shortlist
    ]
    scored.sort(key=lambda item: (-item[0], item[1].load, item[1].profile_id))
    chosen = [c for _s, c in scored[:limit]]
    by_id = {c.profile_id: c for c in chosen}
    tags = ProfileTag.objects.filter(profile_id__in=list(by_id)).values_list(
        "profile_id", "kind", "code"
    )
    for profile_id, kind, code in tags:
        by_id[profile_id].tags.setdefault(kind, set()).add(code)
    suggestions = []
    for value, c in scored[:limit]:
        weighted = [(f.weight, f.reason(needs, c)) for f in active]
        reasons = [r for _w, r in sorted(weighted, key=lambda x: -x[0]) if r]
        suggestions.append(
            Suggestion(c.profile_id, c.user_id, c.display_name, round(value, 3), reasons[:4])
        )
    return suggestions


def suggest(client: Any, exclude: set[int] | frozenset[int] = frozenset()) -> list[Suggestion]:
    """Up to three suggestions for ``client``, never including ``exclude`` (counselor user ids),
    their current counselor, nor one they asked to change from. Raises MatchingRestricted when
    processing is restricted."""
    if not may_process(client.pk, "matching"):
        raise MatchingRestricted
    current = current_counselor_id(client)
    # A client who asked for a different counselor is not offered the one they left.
    left = ChangeRequest.objects.filter(client=client, previous_counselor__isnull=False)
    excluded = (
        set(exclude)
        | ({current} if current else set())
        | set(left.values_list("previous_counselor_id", flat=True))
    )
    needs = needs_for(client)
    return ranked(needs, excluded)


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
    current = CareRelationship.objects.select_for_update().filter(
        client=client, ended_at__isnull=True
    )
    previous = list(current.values_list("counselor_id", flat=True))
    current.update(ended_at=now)
    if previous:
        transaction.on_commit(lambda: access_changed([client.pk, *previous]))
    care = CareRelationship.objects.create(client=client, counselor_id=counselor_id)
    audit.record("matching.chosen", actor=client, subject_id=client.pk, target=care)
    counselor = care.counselor
    transaction.on_commit(
        lambda: send_templated(
            "matching/email/new_client",
            counselor.email,
            {},
            language=counselor.language or None,
            zone=user_zone(counselor),
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
    # The previous counselor's open chat and room sockets close now, not at their next frame.
    transaction.on_commit(lambda: access_changed([client.pk, care.counselor_id]))
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
            "matching/email/care_ended",
            counselor.email,
            {},
            language=counselor.language or None,
            zone=user_zone(counselor),
        )
    )
    return change


def clients_of(counselor: Any) -> QuerySet[CareRelationship]:
    return CareRelationship.objects.filter(
        counselor=counselor, ended_at__isnull=True
    ).select_related("client")


def listable(profile_id: int) -> bool:
    return listable_profiles().filter(pk=profile_id).exists()
