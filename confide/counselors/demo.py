"""Demo counselors (embedded default only): verified counselors speaking es, en, sv and sq
with varied specialties, and one pending application. Safe to run again."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from confide.core.demo_accounts import DEMO_PASSWORD, demo_email
from confide.presets import current_preset

#: email, first, last, gender, languages, jurisdictions, specialties, approaches, session types
COUNSELORS: list[
    tuple[str, str, str, str, list[str], list[str], list[str], list[str], list[str]]
] = [
    (
        "counselor@demo.confide.localhost",
        "Carmen",
        "Demo",
        "woman",
        ["es", "en"],
        ["ES"],
        ["anxiety", "depression", "stress"],
        ["cbt"],
        ["video", "chat"],
    ),
    (
        "lucia@demo.confide.localhost",
        "Lucía",
        "Fernández",
        "woman",
        ["es", "en"],
        ["ES"],
        ["grief", "self_esteem", "family"],
        ["humanistic"],
        ["video"],
    ),
    (
        "erik@demo.confide.localhost",
        "Erik",
        "Lindqvist",
        "man",
        ["sv", "en"],
        ["SE"],
        ["relationships", "stress", "sleep"],
        ["act", "mindfulness"],
        ["video", "chat"],
    ),
    (
        "sara@demo.confide.localhost",
        "Sara",
        "Nyström",
        "woman",
        ["sv", "es"],
        ["SE", "ES"],
        ["anxiety", "trauma"],
        ["cbt"],
        ["video", "audio"],
    ),
    (
        "elira@demo.confide.localhost",
        "Elira",
        "Hoxha",
        "woman",
        ["sq", "en"],
        ["AL"],
        ["trauma", "anxiety", "family"],
        ["systemic"],
        ["video", "chat"],
    ),
    (
        "arben@demo.confide.localhost",
        "Arben",
        "Krasniqi",
        "man",
        ["sq", "sv"],
        ["AL", "SE"],
        ["depression", "relationships", "addiction"],
        ["psychodynamic"],
        ["video"],
    ),
    (
        "jordan@demo.confide.localhost",
        "Jordan",
        "Miller",
        "nonbinary",
        ["en", "es"],
        ["US-NY", "US-NJ"],
        ["depression", "addiction", "sleep"],
        ["cbt", "act"],
        ["video", "chat"],
    ),
]

BIO = {
    "en": "I work with adults who want to understand what they are going through "
    "and find their own way forward.",
    "es": "Trabajo con personas adultas que quieren entender lo que les pasa "
    "y encontrar su propio camino.",
    "sv": "Jag arbetar med vuxna som vill förstå vad de går igenom och hitta sin egen väg framåt.",
    "sq": "Punoj me të rritur që duan të kuptojnë atë që po kalojnë "
    "dhe të gjejnë rrugën e tyre përpara.",
}


def _user(email: str, first: str, last: str) -> Any:
    from allauth.account.models import EmailAddress

    from confide.accounts.models import User

    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=DEMO_PASSWORD, role="counselor", first_name=first, last_name=last
        )
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def seed(stdout: Any = None) -> None:
    from confide.counselors.models import ApplicationStatus, CounselorApplication, CounselorProfile
    from confide.counselors.services import set_tags

    today = timezone.localdate()
    added = 0
    for index, (email, first, last, gender, langs, places, specs, approaches, kinds) in enumerate(
        COUNSELORS
    ):
        user = _user(email, first, last)
        if email == demo_email("counselor"):  # licensed where the operator serves, whichever
            places = sorted({*places, current_preset().jurisdiction})  # preset: a demo pair
        profile, created = CounselorProfile.objects.get_or_create(
            user=user,
            defaults={
                "display_name": f"{first} {last}",
                "gender": gender,
                "bio": BIO,
                "capacity": 15 + index,
                "accepting": True,
                "verified_at": timezone.now(),
                "licence_expiry": today + timedelta(days=400 + 30 * index),
            },
        )
        if created:
            set_tags(
                profile,
                {
                    "language": langs,
                    "jurisdiction": places,
                    "specialty": specs,
                    "approach": approaches,
                    "session_type": kinds,
                },
            )
            added += 1
    if stdout is not None:
        stdout.write(
            f"counselors: {added} verified demo counselors added ({len(COUNSELORS)} in all)"
        )
    pending = _user("pending.counselor@demo.confide.localhost", "Pau", "Pendiente")
    if not CounselorApplication.objects.filter(user=pending).exists():
        CounselorApplication.objects.create(
            user=pending,
            status=ApplicationStatus.SUBMITTED,
            legal_name="Pau Pendiente Vidal",
            phone="+34600000000",
            licence_type="Psicólogo general sanitario",
            licence_number="DEMO-0001",
            licence_jurisdiction="ES",
            licence_expiry=today + timedelta(days=700),
            gov_id_country="ES",
            gov_id_number="12345678Z",
            bank_format="iban",
            bank_account="ES9121000418450200051332",
            education="Máster en Psicología General Sanitaria",
            work_history="Centro de salud mental, 2018–2025",
        )
        if stdout is not None:
            stdout.write(
                "demo pending counselor application: pending.counselor@demo.confide.localhost"
            )
