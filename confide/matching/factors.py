"""Scored preferences. Each factor scores a candidate in [0, 1] and says why in plain words.

A factor scores in one of two places, so that matching stays one query however many counselors
there are:

* ``expression(needs)`` — a SQL expression evaluated over every hard-filtered counselor; the
  database orders by the weighted sum and returns only a shortlist;
* ``prepare(needs, shortlist)`` + ``score(needs, candidate)`` — Python over the shortlist only,
  for factors that need another domain's service (availability from scheduling).

``reason(needs, candidate)`` runs only for the final suggestions. New factors plug in with
``register``; weights say how much each counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    F,
    FloatField,
    Value,
    When,
)
from django.db.models.functions import Cast, StrIndex
from django.db.models.lookups import GreaterThan
from django.utils.translation import gettext as _

from confide.counselors import vocabulary


@dataclass(frozen=True)
class Needs:
    """What the client asked for in intake (codes only)."""

    client_id: int
    languages: tuple[str, ...]
    country: str
    region: str = ""
    specialties: tuple[str, ...] = ()
    gender: str = ""
    session_type: str = ""
    times: tuple[str, ...] = ()
    timezone: str = ""


@dataclass
class Candidate:
    profile_id: int
    user_id: int
    display_name: str
    gender: str
    capacity: int
    load: int
    sql_score: float = 0.0
    tags: dict[str, set[str]] = field(default_factory=dict)

    def has(self, kind: str, code: str) -> bool:
        return code in self.tags.get(kind, ())


def has_code(kind: str, code: str) -> Any:
    """SQL condition: the profile carries this tag (via its denormalised search_codes)."""
    return GreaterThan(StrIndex(F("search_codes"), Value(f"|{kind}:{code}|")), 0)


def has_any(kind: str, codes: tuple[str, ...] | list[str]) -> Any:
    condition: Any = None
    for code in codes:
        condition = has_code(kind, code) if condition is None else condition | has_code(kind, code)
    return condition if condition is not None else Value(False)


def _float(value: float) -> Value:
    return Value(float(value), output_field=FloatField())


class Factor:
    key = ""
    weight = 1.0

    def expression(self, needs: Needs) -> Any | None:
        """SQL score in [0, 1] for every candidate, or None for a Python-side factor."""
        return None

    def prepare(self, needs: Needs, shortlist: list[Candidate]) -> None:
        return None

    def score(self, needs: Needs, candidate: Candidate) -> float:
        return 0.0

    def reason(self, needs: Needs, candidate: Candidate) -> str | None:
        return None


class Specialty(Factor):
    key, weight = "specialty", 3.0

    def expression(self, needs: Needs) -> Any:
        if not needs.specialties:
            return _float(0.5)
        hits: Any = _float(0.0)
        for code in needs.specialties:
            hits = hits + Case(
                When(has_code("specialty", code), then=_float(1.0)),
                default=_float(0.0),
                output_field=FloatField(),
            )
        return hits / _float(len(needs.specialties))

    def reason(self, needs: Needs, candidate: Candidate) -> str | None:
        hits = [s for s in needs.specialties if candidate.has("specialty", s)]
        if not hits:
            return None
        topics = ", ".join(str(vocabulary.SPECIALTIES.get(s, s)) for s in hits[:2])
        return _("specialises in %(topics)s") % {"topics": topics}


class Language(Factor):
    """Always satisfied (a hard filter); prefers the client's first choice and says so."""

    key, weight = "language", 1.0

    def expression(self, needs: Needs) -> Any:
        whens = [
            When(has_code("language", code), then=_float(1.0 / (rank + 1)))
            for rank, code in enumerate(needs.languages)
        ]
        return Case(*whens, default=_float(0.0), output_field=FloatField())

    def reason(self, needs: Needs, candidate: Candidate) -> str | None:
        for code in needs.languages:
            if candidate.has("language", code):
                name = str(vocabulary.LANGUAGES.get(code, code))
                return _("speaks %(language)s") % {"language": name}
        return None


class Gender(Factor):
    key, weight = "gender", 2.0

    def _wanted(self, needs: Needs) -> bool:
        return bool(needs.gender) and needs.gender != "any"

    def expression(self, needs: Needs) -> Any:
        if not self._wanted(needs):
            return _float(0.5)
        return Case(
            When(gender=needs.gender, then=_float(1.0)),
            default=_float(0.0),
            output_field=FloatField(),
        )

    def reason(self, needs: Needs, candidate: Candidate) -> str | None:
        if self._wanted(needs) and candidate.gender == needs.gender:
            return _("matches the gender you prefer")
        return None


class SessionType(Factor):
    key, weight = "session_type", 1.5

    def _wanted(self, needs: Needs) -> bool:
        return bool(needs.session_type) and needs.session_type != "any"

    def expression(self, needs: Needs) -> Any:
        if not self._wanted(needs):
            return _float(0.5)
        return Case(
            When(has_code("session_type", needs.session_type), then=_float(1.0)),
            default=_float(0.0),
            output_field=FloatField(),
        )

    def reason(self, needs: Needs, candidate: Candidate) -> str | None:
        if self._wanted(needs) and candidate.has("session_type", needs.session_type):
            kind = str(vocabulary.SESSION_TYPES.get(needs.session_type, needs.session_type))
            return _("offers %(kind)s sessions") % {"kind": kind}
        return None


class Licence(Factor):
    """Always satisfied (a hard filter); says so in plain words."""

    key, weight = "licence", 0.0

    def expression(self, needs: Needs) -> Any:
        return _float(0.0)

    def reason(self, needs: Needs, candidate: Candidate) -> str | None:
        place = vocabulary.jurisdiction_label(needs.country)
        return _("is licensed to counsel in %(place)s") % {"place": place}


class LoadBalance(Factor):
    """Spreads clients fairly: counselors with more free room score higher."""

    key, weight = "load", 1.0

    def expression(self, needs: Needs) -> Any:
        # capacity >= 1 here: the hard filter keeps only load < capacity.
        return _float(1.0) - Cast(F("load"), FloatField()) / Cast(F("capacity"), FloatField())


#: Preferred times from intake -> local hours [start, end) (weekend: Saturday and Sunday).
TIME_WINDOWS = {"morning": (6, 12), "afternoon": (12, 17), "evening": (17, 22)}


def suits(moment: Any, times: tuple[str, ...]) -> bool:
    """Does this local start time fall in one of the client's preferred times?"""
    if not times:
        return True
    if "weekend" in times and moment.weekday() >= 5:
        return True
    return any(
        lo <= moment.hour < hi
        for name, (lo, hi) in TIME_WINDOWS.items()
        if name in times and (moment.weekday() < 5 or "weekend" not in times)
    )


class Availability(Factor):
    """Free slots in the next two weeks at the times the client prefers, from the scheduling
    domain's multi-counselor search (``confide.scheduling.slots.free_slots``, a constant number
    of queries), over the shortlist only."""

    key, weight = "availability", 1.5
    DAYS = 14

    def __init__(self) -> None:
        self.counts: dict[int, int] = {}

    def prepare(self, needs: Needs, shortlist: list[Candidate]) -> None:
        search = _free_slot_search()
        if search is None or not shortlist:
            return
        from datetime import timedelta
        from zoneinfo import ZoneInfo

        from django.utils import timezone

        now = timezone.now()
        found = search([c.user_id for c in shortlist], now, now + timedelta(days=self.DAYS))
        tz = ZoneInfo(needs.timezone or "UTC")
        self.counts = {
            cid: sum(1 for slot in slots if suits(slot.astimezone(tz), needs.times))
            for cid, slots in found.items()
        }

    def score(self, needs: Needs, candidate: Candidate) -> float:
        return min(1.0, self.counts.get(candidate.user_id, 0) / 10)

    def reason(self, needs: Needs, candidate: Candidate) -> str | None:
        if self.counts.get(candidate.user_id):
            return _("has free times that suit you in the next two weeks")
        return None


def _free_slot_search() -> Any:
    try:
        from confide.scheduling.slots import free_slots
    except ImportError:  # pragma: no cover - scheduling is optional for matching
        return None
    return free_slots


_REGISTRY: list[type[Factor]] = [
    Specialty,
    Language,
    Gender,
    SessionType,
    Licence,
    Availability,
    LoadBalance,
]


def register(factor: type[Factor]) -> None:
    """Add a factor class (instantiated for each matching run)."""
    if factor not in _REGISTRY:
        _REGISTRY.append(factor)


def active() -> list[Factor]:
    return [cls() for cls in _REGISTRY]
