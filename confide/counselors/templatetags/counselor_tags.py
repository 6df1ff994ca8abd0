from __future__ import annotations

from django import template
from django.utils.translation import get_language

from confide.counselors import vocabulary
from confide.counselors.models import CounselorProfile

register = template.Library()


@register.filter
def codes(profile: CounselorProfile, kind: str) -> list[str]:
    return profile.codes(kind)


@register.filter
def labels(profile: CounselorProfile, kind: str) -> str:
    if kind == "jurisdiction":
        return ", ".join(vocabulary.jurisdiction_label(c) for c in profile.codes(kind))
    vocab = vocabulary.TAG_KINDS[kind]
    return ", ".join(str(vocab.get(c, c)) for c in profile.codes(kind))


@register.filter
def bio(profile: CounselorProfile) -> str:
    return profile.bio_for((get_language() or "en")[:2])
