"""Matching over 1,000 and 10,000 verified counselors (issue 6): p95 latency of the full
``suggest`` (queries, filters, factors, ranking) with its query count, against a floor measured
in the same run: a pure-Python scoring loop over the same counselors already in memory."""

from __future__ import annotations

import heapq
import os
import random
from datetime import timedelta
from typing import Any

from benchmarks.harness import Result, percentile, setup_django, timed

SPECIALTIES = [
    "anxiety",
    "depression",
    "stress",
    "relationships",
    "grief",
    "trauma",
    "self_esteem",
    "family",
    "addiction",
    "sleep",
]
LANGS = ["es", "en", "sv", "sq"]
PLACES = ["ES", "SE", "AL", "US-NY"]


def _fresh_db() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from confide.accounts.models import User
    from confide.counselors.models import CounselorProfile
    from confide.matching.models import CareRelationship

    CareRelationship.objects.all().delete()
    CounselorProfile.objects.all().delete()
    User.objects.filter(client_number__gte=50_000_000).delete()
    User.objects.filter(email__endswith="@match.bench.test").delete()


def _add_counselors(start: int, count: int, rng: random.Random) -> list[dict[str, Any]]:
    from django.utils import timezone

    from confide.accounts.models import User
    from confide.counselors.models import CounselorProfile, ProfileTag

    now = timezone.now()
    expiry = timezone.localdate() + timedelta(days=365)
    users = User.objects.bulk_create(
        [
            User(
                email=f"bench-{start + i}@match.bench.test",
                role="counselor",
                password="!",  # noqa: S106 - an unusable password marker
                client_number=50_000_000 + start + i,
            )
            for i in range(count)
        ],
        batch_size=1000,
    )
    profiles = CounselorProfile.objects.bulk_create(
        [
            CounselorProfile(
                user=u,
                display_name=f"Counselor {start + i}",
                gender=rng.choice(["woman", "man", "nonbinary"]),
                capacity=rng.randint(5, 30),
                verified_at=now,
                licence_expiry=expiry,
            )
            for i, u in enumerate(users)
        ],
        batch_size=1000,
    )
    rows, memory = [], []
    for profile in profiles:
        tags = {
            "language": set(rng.sample(LANGS, rng.randint(1, 2))),
            "jurisdiction": {"ES"} | set(rng.sample(PLACES, 1)),
            "specialty": set(rng.sample(SPECIALTIES, 3)),
            "session_type": set(rng.sample(["video", "chat", "audio"], 2)),
        }
        memory.append(
            {
                "id": profile.pk,
                "user_id": profile.user_id,
                "gender": profile.gender,
                "capacity": profile.capacity,
                "load": 0,
                "accepting": True,
                "verified": True,
                "tags": tags,
            }
        )
        rows += [
            ProfileTag(profile=profile, kind=k, code=c) for k, codes in tags.items() for c in codes
        ]
        profile.search_codes = CounselorProfile.encode_codes(
            [(k, c) for k, codes in tags.items() for c in codes]
        )
    ProfileTag.objects.bulk_create(rows, batch_size=2000)
    CounselorProfile.objects.bulk_update(profiles, ["search_codes"], batch_size=1000)
    return memory


def _client() -> Any:
    from confide.accounts.models import User
    from confide.intake.models import IntakeResponse, Questionnaire

    client = User.objects.create_user(email=f"client-{random.random()}@match.bench.test")
    for key, answers in [
        ("intake_reason", {"reason": ["anxiety", "sleep"], "danger": "no"}),
        (
            "intake_preferences",
            {"pref_language": ["es", "en"], "pref_gender": "woman", "pref_session": "video"},
        ),
        ("intake_location", {"country": "ES", "region": ""}),
    ]:
        IntakeResponse.objects.create(
            client=client,
            questionnaire=Questionnaire.objects.get(key=key),
            answers=answers,
            result={},
        )
    return client


def _floor(memory: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The same hard filters and weighted preferences, plain Python over dicts in memory."""
    wanted_langs, specs = {"es", "en"}, {"anxiety", "sleep"}

    def score(c: dict[str, Any]) -> float:
        tags = c["tags"]
        return (
            3.0 * len(specs & tags["specialty"]) / len(specs)
            + (2.0 if c["gender"] == "woman" else 0.0)
            + (1.5 if "video" in tags["session_type"] else 0.0)
            + (1.0 if "es" in tags["language"] else 0.5)
            + 1.0
            - c["load"] / c["capacity"]
        )

    eligible = (
        c
        for c in memory
        if c["verified"]
        and c["accepting"]
        and c["load"] < c["capacity"]
        and "ES" in c["tags"]["jurisdiction"]
        and wanted_langs & c["tags"]["language"]
    )
    return heapq.nlargest(3, eligible, key=score)


def run() -> list[Result]:
    os.environ.setdefault("CONFIDE_BENCH", "1")
    setup_django()
    _fresh_db()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from confide.matching import services

    rng = random.Random(6)
    client = _client()
    results: list[Result] = []
    memory: list[dict[str, Any]] = []
    queries = {}
    for size, repeat, target in ((1_000, 40, "p95 <= 20 ms"), (10_000, 15, "p95 <= 100 ms")):
        memory += _add_counselors(len(memory), size - len(memory), rng)
        assert len(services.suggest(client)) == 3
        with CaptureQueriesContext(connection) as captured:
            services.suggest(client)
        queries[size] = len(captured)
        for _ in range(5):  # warm caches (data keys, query plans) before measuring
            services.suggest(client)
        ours = percentile(timed(lambda: services.suggest(client), repeat), 95) * 1000
        snapshot = list(memory)
        floor = percentile(timed(lambda: _floor(snapshot), repeat), 95) * 1000  # noqa: B023
        results.append(
            Result(
                "matching",
                f"suggest p95 over {size} counselors (ms)",
                ours,
                "ms",
                floor=floor,
                target=target,
                notes={"queries": queries[size], "load_average_1m": round(os.getloadavg()[0], 2)},
            )
        )
        results.append(
            Result("matching", f"queries per suggest at {size}", queries[size], "queries")
        )
    results.append(
        Result(
            "matching",
            "query count constant 1k -> 10k",
            float(queries[1_000] == queries[10_000]),
            "bool",
            target="1.0",
        )
    )
    return results
