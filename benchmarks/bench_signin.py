"""Sign-in latency, split into password hashing and everything else.

One round is a complete level-1 sign-in through the real middleware stack, in-process: the
password form, the emailed code, and the "trust this browser?" answer. The Argon2id verification
inside it is timed by wrapping the hasher, so each round splits into hashing and the rest. The
floor is a raw ``argon2-cffi`` verification with the same parameters, measured in the same run.
Targets: hashing 20-60 ms; everything besides hashing <= 20 ms p95. Rate limits are switched off
here (they would throttle a benchmark that signs in hundreds of times a minute), DEBUG too.
"""

from __future__ import annotations

import os
import re
import time
from typing import Any

from benchmarks.harness import Result, setup_django, summary_ms

ROUNDS = int(os.environ.get("BENCH_SIGNIN_ROUNDS", "40"))
PASSWORD = "bench-Password-2026"  # noqa: S105 - throwaway benchmark account
_CODE = re.compile(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", re.M)


class _HashClock:
    """Wraps the hasher's verify to add up the time spent hashing in one request."""

    def __init__(self) -> None:
        self.spent = 0.0
        self.cpu = 0.0

    def install(self) -> None:
        from confide.accounts.hashers import ConfideArgon2PasswordHasher

        original = ConfideArgon2PasswordHasher.verify
        clock = self

        def verify(hasher: Any, password: str, encoded: str) -> bool:
            start, cpu = time.perf_counter(), time.process_time()
            try:
                return bool(original(hasher, password, encoded))
            finally:
                clock.spent += time.perf_counter() - start
                clock.cpu += time.process_time() - cpu

        ConfideArgon2PasswordHasher.verify = verify  # type: ignore[method-assign]


class _Browser:
    """One server process seen by a fresh browser each round: the test client's handler (and
    the middleware it builds, whitenoise's scan of every static file included) is made once,
    as a real server makes it once at start-up; only the cookies are thrown away."""

    client: Any = None

    @classmethod
    def fresh(cls) -> Any:
        from django.test import Client

        if cls.client is None:
            cls.client = Client()
        cls.client.cookies.clear()
        return cls.client


def _sign_in(email: str) -> None:
    from django.core import mail

    client = _Browser.fresh()
    response = client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    match = _CODE.search(str(mail.outbox[-1].body))
    assert match is not None
    response = client.post("/accounts/login/code/confirm/", {"code": match.group(1)})
    response = client.post("/accounts/2fa/trust/", {"action": "skip"})
    assert response.status_code == 302 and response["Location"] == "/dashboard/"


def _forget_sessions(user: Any) -> None:
    """Outside the timer: each round signs in a person with no other open sessions. Without
    this, allauth's usersessions would check every earlier round's session at each sign-in."""
    from allauth.usersessions.models import UserSession
    from django.contrib.sessions.models import Session
    from django.core import mail

    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    UserSession.objects.filter(user=user).delete()
    Session.objects.filter(session_key__in=keys).delete()
    mail.outbox = []


def _raw_argon2_floor(rounds: int) -> tuple[list[float], list[float]]:
    from argon2 import PasswordHasher, Type

    from confide.accounts.hashers import ConfideArgon2PasswordHasher as Ours

    raw = PasswordHasher(
        time_cost=Ours.time_cost,
        memory_cost=Ours.memory_cost,
        parallelism=Ours.parallelism,
        type=Type.ID,
    )
    encoded = raw.hash(PASSWORD)
    samples, cpu = [], []
    for _ in range(rounds):
        start, cpu_start = time.perf_counter(), time.process_time()
        raw.verify(encoded, PASSWORD)
        samples.append(time.perf_counter() - start)
        cpu.append(time.process_time() - cpu_start)
    return samples, cpu


def run() -> list[Result]:
    # Production's configuration: with DEBUG on, every SQL query is recorded and whitenoise
    # looks for a static file on every request, neither of which a real sign-in pays.
    os.environ.setdefault("DEBUG", "false")
    setup_django()
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ACCOUNT_RATE_LIMITS = False
    # Also when an earlier benchmark in this process set Django up with DEBUG on; both are read
    # when the benchmark's client first builds the middleware.
    settings.DEBUG = False
    settings.WHITENOISE_AUTOREFRESH = False
    settings.PASSWORD_HASHERS = ["confide.accounts.hashers.ConfideArgon2PasswordHasher"]
    from django.core import mail

    mail.outbox = []
    from confide.accounts.models import User

    email = "bench.signin@example.test"
    user = User.objects.filter(email=email).first() or User.objects.create_user(email, PASSWORD)
    user.set_password(PASSWORD)
    user.save()
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    clock = _HashClock()
    clock.install()
    _forget_sessions(user)
    for _ in range(3):
        _sign_in(email)  # warm template loaders and caches
        _forget_sessions(user)
    totals, hashing, rest, rest_cpu = [], [], [], []
    for _ in range(ROUNDS):
        clock.spent = clock.cpu = 0.0
        start, cpu_start = time.perf_counter(), time.process_time()
        _sign_in(email)
        total = time.perf_counter() - start
        totals.append(total)
        hashing.append(clock.spent)
        rest.append(total - clock.spent)
        rest_cpu.append(time.process_time() - cpu_start - clock.cpu)
        _forget_sessions(user)
    raw_wall, raw_cpu = _raw_argon2_floor(ROUNDS)
    floor, floor_cpu = summary_ms(raw_wall), summary_ms(raw_cpu)
    total_s, hash_s, rest_s = summary_ms(totals), summary_ms(hashing), summary_ms(rest)
    rest_cpu_s = summary_ms(rest_cpu)
    bench = "signin"
    return [
        Result(bench, "argon2_raw_p50", floor["p50_ms"], "ms", target="20-60 ms"),
        Result(bench, "hashing_p50", hash_s["p50_ms"], "ms", floor=floor["p50_ms"]),
        Result(bench, "hashing_p95", hash_s["p95_ms"], "ms", floor=floor["p95_ms"]),
        Result(bench, "signin_total_p50", total_s["p50_ms"], "ms", floor=floor["p50_ms"]),
        Result(bench, "signin_total_p95", total_s["p95_ms"], "ms", floor=floor["p95_ms"]),
        Result(bench, "signin_rest_p50", rest_s["p50_ms"], "ms", floor=floor["p50_ms"]),
        Result(
            bench,
            "signin_rest_p95",
            rest_s["p95_ms"],
            "ms",
            floor=floor["p95_ms"],
            target="<= 20 ms p95 (three requests: password, code, trust answer)",
            notes={"rounds": ROUNDS, "load_average_1m": os.getloadavg()[0]},
        ),
        # CPU time is what the sign-in costs; wall time above also counts waiting for a core
        # on a shared machine.
        Result(bench, "argon2_raw_cpu_p50", floor_cpu["p50_ms"], "ms CPU", target="20-60 ms"),
        Result(
            bench,
            "signin_rest_cpu_p95",
            rest_cpu_s["p95_ms"],
            "ms CPU",
            floor=floor_cpu["p95_ms"],
            target="<= 20 ms p95",
        ),
    ]
