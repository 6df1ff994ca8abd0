"""Builders for counselor profiles in tests (shared by counselor, matching and route tests)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.utils import timezone

from tests.factories import make_user


def make_counselor(
    *,
    languages: tuple[str, ...] = ("es",),
    jurisdictions: tuple[str, ...] = ("ES",),
    specialties: tuple[str, ...] = ("anxiety",),
    session_types: tuple[str, ...] = ("video",),
    gender: str = "",
    capacity: int = 10,
    accepting: bool = True,
    verified: bool = True,
    expires_in_days: int = 365,
    user: Any = None,
    name: str = "",
    light: bool = False,
) -> Any:
    """A counselor profile. ``light`` skips the email address and passkey (fast, for property
    tests: matching only needs the profile)."""
    from confide.counselors.models import CounselorProfile
    from confide.counselors.services import set_tags

    if user is None and light:
        from confide.accounts.models import User

        user = User.objects.create_user(
            email=f"c{uuid.uuid4().hex[:12]}@example.test", role="counselor"
        )
    user = user or make_user("counselor", first_name=name or "Counselor", passkey=True)
    profile = CounselorProfile.objects.create(
        user=user,
        display_name=name or f"Counselor {user.pk}",
        gender=gender,
        capacity=capacity,
        accepting=accepting,
        verified_at=timezone.now() if verified else None,
        licence_expiry=timezone.localdate() + timedelta(days=expires_in_days),
        bio={"en": "I help people.", "es": "Ayudo a personas."},
    )
    set_tags(
        profile,
        {
            "language": list(languages),
            "jurisdiction": list(jurisdictions),
            "specialty": list(specialties),
            "session_type": list(session_types),
        },
    )
    return profile
