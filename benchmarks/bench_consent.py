"""Server time that consent and analytics add to a page view.

The same page ("/", the dashboard for a signed-in user) is rendered in-process through the full
middleware stack twice per round, interleaved: once as configured, once with the consent
middleware and context processor taken out (the floor). The difference of the p95 server times
is what consent costs. Target: at most 1 ms p95 per page view.

Scenarios: a first visit (banner shown), a visitor who accepted everything with all three
integrations enabled (guarded events built), and a signed-in client with statistics consent
(restriction check and re-acceptance gate run).
"""

from __future__ import annotations

import copy
import gc
import os
import time
from collections.abc import Callable
from typing import Any

from benchmarks.harness import Result, percentile, setup_django

ROUNDS = int(os.environ.get("BENCH_CONSENT_ROUNDS", "1000"))
TARGET_MS = 1.0
WARMUP = 10
MIDDLEWARE = "confide.privacy.consent.middleware.ConsentMiddleware"
PROCESSOR = "confide.privacy.consent.context_processors.consent"


def _without_consent(settings: Any) -> dict[str, Any]:
    templates = copy.deepcopy(settings.TEMPLATES)
    for engine in templates:
        processors = engine.get("OPTIONS", {}).get("context_processors", [])
        if PROCESSOR in processors:
            processors.remove(PROCESSOR)
    return {
        "MIDDLEWARE": [m for m in settings.MIDDLEWARE if m != MIDDLEWARE],
        "TEMPLATES": templates,
    }


def _sample(get: Callable[[], Any]) -> float:
    start = time.perf_counter()
    response = get()
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, response.status_code
    return elapsed


def _measure(make_client: Callable[[], Any], path: str) -> tuple[list[float], list[float]]:
    """Alternate blocks of each configuration (switching settings resets the template engines,
    so the first requests of each block are discarded as warm-up)."""
    from django.conf import settings

    plain = _without_consent(settings)
    with_consent: list[float] = []
    without: list[float] = []
    client = make_client()
    block = 50
    gc.collect()
    gc.disable()  # collector pauses land at random and would swamp a 1 ms difference
    try:
        _alternate(client, path, plain, block, with_consent, without)
    finally:
        gc.enable()
    return with_consent, without


def _alternate(
    client: Any,
    path: str,
    plain: dict[str, Any],
    block: int,
    with_consent: list[float],
    without: list[float],
) -> None:
    from django.test.utils import override_settings

    for _ in range(max(1, ROUNDS // block)):
        for _ in range(WARMUP):
            client.get(path)
        with_consent += [_sample(lambda: client.get(path)) for _ in range(block)]
        with override_settings(**plain):
            for _ in range(WARMUP):
                client.get(path)
            without += [_sample(lambda: client.get(path)) for _ in range(block)]


def run() -> list[Result]:
    os.environ.setdefault("CONFIDE_BENCH", "1")
    os.environ.setdefault("DEBUG", "false")
    setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0, interactive=False)
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    settings.CONSENT_INTEGRATIONS = {"mixpanel", "google_analytics", "meta_pixel"}

    from confide.accounts.models import User
    from confide.privacy.consent.services import record_acceptance

    user = User.objects.filter(email="bench.consent@bench.test").first()
    if user is None:
        user = User.objects.create_user(email="bench.consent@bench.test", nickname="Bench")
        record_acceptance(user, method="bench")

    def visitor() -> Any:
        return Client()

    def consenting() -> Any:
        client = Client()
        client.cookies["confide_consent"] = "1.111"
        return client

    def signed_in() -> Any:
        client = Client()
        client.force_login(user)
        client.cookies["confide_consent"] = "1.010"
        return client

    results = []
    for name, make, path in (
        ("first_visit_home", visitor, "/"),
        ("all_consent_home", consenting, "/"),
        ("signed_in_dashboard", signed_in, "/dashboard/"),
    ):
        with_consent, without = _measure(make, path)
        value, floor = percentile(with_consent, 95) * 1000, percentile(without, 95) * 1000
        p50_added = (percentile(with_consent, 50) - percentile(without, 50)) * 1000
        results.append(
            Result(
                "consent",
                f"{name}_p95_ms",
                value,
                "ms",
                floor=floor,
                target=f"value - floor <= {TARGET_MS} ms",
                notes={
                    "added_p95_ms": round(value - floor, 3),
                    "added_p50_ms": round(p50_added, 3),
                    "rounds": ROUNDS,
                },
            )
        )
    return results
