"""Scored preferences. A factor looks at the hard-filtered candidates in bulk (``prepare``, so
the query count stays constant) and scores each in [0, 1] with an optional plain-language
reason. New factors plug in with ``register``; weights say how much each counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

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


@dataclass
class Candidate:
    profile_id: int
    user_id: int
    display_name: str
    gender: str
    capacity: int
    load: int
    tags: dict[str, set[str]] = field(default_factory=dict)

    def has(self, kind: str, code: str) -> bool:
        return code in self.tags.get(kind, ())


class Factor(Protocol):
    key: str
    weight: float

    def prepare(self, needs: Needs, candidates: list[Candidate]) -> None: ...

    def score(self, needs: Needs, candidate: Candidate) -> tuple[float, str | None]: ...


class _Simple:
    key = ""
    weight = 1.0

    def prepare(self, needs: Needs, candidates: list[Candidate]) -> None:
        return None


class Specialty(_Simple):
    key, weight = "specialty", 3.0

    def score(self, needs: Needs, candidate: Candidate) -> tuple[float, str | None]:
        if not needs.specialties:
            return 0.5, None
        hits = [s for s in needs.specialties if candidate.has("specialty", s)]
        if not hits:
            return 0.0, None
        topics = ", ".join(str(vocabulary.SPECIALTIES.get(s, s)) for s in hits[:2])
        return len(hits) / len(needs.specialties), _("specialises in %(topics)s") % {
            "topics": topics
        }


class Language(_Simple):
    """Always satisfied (a hard filter); contributes the reason and prefers the first choice."""

    key, weight = "language", 1.0

    def score(self, needs: Needs, candidate: Candidate) -> tuple[float, str | None]:
        for rank, code in enumerate(needs.languages):
            if candidate.has("language", code):
                name = str(vocabulary.LANGUAGES.get(code, code))
                return 1.0 / (rank + 1), _("speaks %(language)s") % {"language": name}
        return 0.0, None


class Gender(_Simple):
    key, weight = "gender", 2.0

    def score(self, needs: Needs, candidate: Candidate) -> tuple[float, str | None]:
        if not needs.gender or needs.gender == "any":
            return 0.5, None
        if candidate.gender == needs.gender:
            return 1.0, _("matches the gender you prefer")
        return 0.0, None


class SessionType(_Simple):
    key, weight = "session_type", 1.5

    def score(self, needs: Needs, candidate: Candidate) -> tuple[float, str | None]:
        if not needs.session_type or needs.session_type == "any":
            return 0.5, None
        if candidate.has("session_type", needs.session_type):
            kind = str(vocabulary.SESSION_TYPES.get(needs.session_type, needs.session_type))
            return 1.0, _("offers %(kind)s sessions") % {"kind": kind}
        return 0.0, None


class Licence(_Simple):
    """Always satisfied (a hard filter); says so in plain words."""

    key, weight = "licence", 0.0

    def score(self, needs: Needs, candidate: Candidate) -> tuple[float, str | None]:
        place = vocabulary.jurisdiction_label(needs.country)
        return 1.0, _("is licensed to counsel in %(place)s") % {"place": place}


class LoadBalance(_Simple):
    """Spreads clients fairly: counselors with more free room score higher."""

    key, weight = "load", 1.0

    def score(self, needs: Needs, candidate: Candidate) -> tuple[float, str | None]:
        if candidate.capacity <= 0:
            return 0.0, None
        return 1.0 - candidate.load / candidate.capacity, None


class Availability(_Simple):
    """Free-slot overlap, when the scheduling domain offers a bulk free-slot search
    (``confide.scheduling.services.free_slot_counts(counselor_ids, days)`` → {id: count})."""

    key, weight = "availability", 1.5

    def __init__(self) -> None:
        self.counts: dict[int, int] = {}

    def prepare(self, needs: Needs, candidates: list[Candidate]) -> None:
        search = _free_slot_search()
        self.counts = search([c.user_id for c in candidates], 14) if search else {}

    def score(self, needs: Needs, candidate: Candidate) -> tuple[float, str | None]:
        count = self.counts.get(candidate.user_id)
        if count is None:
            return 0.5, None
        if count == 0:
            return 0.0, None
        return min(1.0, count / 10), _("has free times in the next two weeks")


def _free_slot_search() -> Any:
    try:
        from confide.scheduling import services as scheduling
    except ImportError:  # pragma: no cover
        return None
    return getattr(scheduling, "free_slot_counts", None)


_REGISTRY: list[type[Any]] = [
    Specialty,
    Language,
    Gender,
    SessionType,
    Licence,
    Availability,
    LoadBalance,
]


def register(factor: type[Any]) -> None:
    """Add a factor class (instantiated per matching run)."""
    if factor not in _REGISTRY:
        _REGISTRY.append(factor)


def active() -> list[Factor]:
    return [cls() for cls in _REGISTRY]
