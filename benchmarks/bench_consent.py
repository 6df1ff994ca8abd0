"""Server time that consent and analytics add to a page view.

The same page is rendered in-process through the full middleware stack by two test clients,
request by request in alternation so that machine load hits both alike: one as configured, one
(the floor) whose handler was built without ``ConsentMiddleware`` and whose requests switch the
consent context processor off (so no banner, no configuration, no checks). The difference of
the p95 server times is what consent costs. Target: at most 1 ms p95 per page view.

Scenarios: a first visit (banner shown), a visitor who accepted everything with all three
integrations enabled (guarded events built), and a signed-in client with statistics consent
(restriction check and re-acceptance gate run).
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable
from typing import Any

from benchmarks.harness import Result, percentile, setup_django

ROUNDS = int(os.environ.get("BENCH_CONSENT_ROUNDS", "1500"))
WARMUP = 30
TARGET_MS = 1.0
MIDDLEWARE = "confide.privacy.consent.middleware.ConsentMiddleware"


class ConsentOff:
    """Floor-only middleware: marks the request so the consent context processor returns {}."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        request.consent_off = True
        return self.get_response(request)


def _floor_client(make_client: Callable[[], Any], path: str) -> Any:
    from django.conf import settings
    from django.test.utils import override_settings

    plain = [m for m in settings.MIDDLEWARE if m != MIDDLEWARE]
    plain.append(f"{__name__}.ConsentOff")
    client = make_client()
    with override_settings(MIDDLEWARE=plain):
        client.get(path)  # the handler loads its middleware chain now, and keeps it
    return client


def _sample(client: Any, path: str) -> float:
    start = time.perf_counter()
    response = client.get(path)
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, response.status_code
    return elapsed


def _measure(make_client: Callable[[], Any], path: str) -> tuple[list[float], list[float]]:
    consent, floor = make_client(), _floor_client(make_client, path)
    for _ in range(WARMUP):
        _sample(consent, path)
        _sample(floor, path)
    with_consent: list[float] = []
    without: list[float] = []
    gc.collect()
    gc.disable()  # collector pauses land at random and would swamp a 1 ms difference
    try:
        for _ in range(ROUNDS):
            with_consent.append(_sample(consent, path))
            without.append(_sample(floor, path))
    finally:
        gc.enable()
    return with_consent, without


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
    settings.CONSENT_INTEGRATION_ACCOUNTS = {
        "mixpanel": "bench",
        "google_analytics": "G-BENCH",
        "meta_pixel": "1",
    }

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
        pairs = sorted(a - b for a, b in zip(with_consent, without, strict=True))
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
                    "added_p50_ms": round(
                        (percentile(with_consent, 50) - percentile(without, 50)) * 1000, 3
                    ),
                    "median_paired_difference_ms": round(pairs[len(pairs) // 2] * 1000, 3),
                    "rounds": ROUNDS,
                },
            )
        )
    return results
