"""Controlled vocabularies shared by counselor profiles, intake preferences and matching.
Codes are stored; labels are translated at display time."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

SPECIALTIES: dict[str, Any] = {
    "anxiety": _("anxiety"),
    "depression": _("depression"),
    "stress": _("stress and burnout"),
    "relationships": _("relationships"),
    "grief": _("grief and loss"),
    "trauma": _("trauma"),
    "self_esteem": _("self-esteem"),
    "family": _("family"),
    "addiction": _("addiction"),
    "sleep": _("sleep"),
}

APPROACHES: dict[str, Any] = {
    "cbt": _("cognitive behavioural therapy"),
    "act": _("acceptance and commitment therapy"),
    "psychodynamic": _("psychodynamic therapy"),
    "systemic": _("systemic and family therapy"),
    "mindfulness": _("mindfulness-based therapy"),
    "humanistic": _("humanistic therapy"),
}

SESSION_TYPES: dict[str, Any] = {
    "video": _("video"),
    "chat": _("chat"),
    "audio": _("audio call"),
}

LANGUAGES: dict[str, Any] = {
    "es": _("Spanish"),
    "en": _("English"),
    "sv": _("Swedish"),
    "sq": _("Albanian"),
}

GENDERS: dict[str, Any] = {
    "woman": _("woman"),
    "man": _("man"),
    "nonbinary": _("non-binary"),
}

COUNTRIES: dict[str, Any] = {
    "ES": _("Spain"),
    "SE": _("Sweden"),
    "AL": _("Albania"),
    "US": _("United States"),
}

#: Tag kinds on a counselor profile and their vocabulary.
TAG_KINDS: dict[str, dict[str, Any]] = {
    "specialty": SPECIALTIES,
    "approach": APPROACHES,
    "session_type": SESSION_TYPES,
    "language": LANGUAGES,
}


def choices(vocabulary: dict[str, Any]) -> list[tuple[str, Any]]:
    return list(vocabulary.items())


def jurisdiction_label(code: str) -> str:
    """ "ES" -> "Spain"; "US-NY" -> "United States (NY)"."""
    country, _sep, region = code.partition("-")
    name = str(COUNTRIES.get(country, country))
    return f"{name} ({region})" if region else name
