"""Privacy kernel benchmarks: export throughput, shredding cost, per-field encryption overhead."""

from __future__ import annotations

import os
import time
import uuid
from datetime import timedelta

from benchmarks.harness import Result, setup_django


def _fresh_db() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _client_with(messages: int, bookings: int = 0) -> int:
    from django.utils import timezone

    from confide.accounts.models import User
    from confide.matching.models import CareRelationship
    from confide.messaging.models import Conversation, Message
    from confide.scheduling.models import Booking

    tag = uuid.uuid4().hex[:8]
    client = User.objects.create_user(email=f"c-{tag}@bench.test", nickname="Bench")
    counselor = User.objects.create_user(email=f"k-{tag}@bench.test", role="counselor")
    care = CareRelationship.objects.create(client=client, counselor=counselor)
    conversation = Conversation.objects.create(care=care, client=client, counselor=counselor)
    rows = [
        Message(conversation=conversation, sender=client, body=f"message number {i} " * 8)
        for i in range(messages)
    ]
    for row in rows:  # bulk_create skips pre_save of the id binding: seal explicitly
        row.body = Message._meta.get_field("body").pre_save(row, True)
    Message.objects.bulk_create(rows, batch_size=1000)
    now = timezone.now()
    Booking.objects.bulk_create(
        [
            Booking(
                client=client,
                counselor=counselor,
                starts_at=now + timedelta(days=i),
                ends_at=now + timedelta(days=i, hours=1),
            )
            for i in range(bookings)
        ]
    )
    return int(client.pk)


def _settle() -> None:
    """Flush the write-ahead log left by the bulk insert, so the timing is of the shred alone."""
    import gc

    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    gc.collect()


def run() -> list[Result]:
    os.environ.setdefault("CONFIDE_BENCH", "1")
    setup_django()
    _fresh_db()
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from confide.privacy import crypto
    from confide.privacy.export import build_archive
    from confide.privacy.keys import reset_keyring

    results: list[Result] = []

    # --- Export: 5,000 messages + 100 appointments (+100 "notes": the notes model is not in
    # this codebase yet, so 100 more sealed messages stand in for them). -----------------------
    client_id = _client_with(5100, bookings=100)
    reset_keyring()
    start = time.perf_counter()
    _, records = build_archive(client_id, "en")
    seconds = time.perf_counter() - start
    results.append(Result("privacy", "export 5200 records (s)", seconds, "s", target="<= 2 s"))
    results.append(
        Result("privacy", "export records per second", records / seconds, "rec/s", target=">= 5000")
    )

    # --- Erasure by shredding: 1 vs 10,000 messages. ------------------------------------------
    # Both populations are made first, then shredded alternately, so disk and cache state is
    # the same for both; the median of seven is kept.
    subjects = {count: [_client_with(count) for _ in range(7)] for count in (1, 10_000)}
    _settle()
    samples: dict[int, list[float]] = {1: [], 10_000: []}
    for index in range(7):
        for count in (1, 10_000):
            start = time.perf_counter()
            crypto.shred(subjects[count][index])
            samples[count].append(time.perf_counter() - start)
    timings = {count: sorted(values)[3] for count, values in samples.items()}
    results.append(
        Result(
            "privacy",
            "shred subject with 1 message (ms)",
            timings[1] * 1000,
            "ms",
            target="<= 100 ms",
        )
    )
    results.append(
        Result(
            "privacy",
            "shred subject with 10000 messages (ms)",
            timings[10_000] * 1000,
            "ms",
            floor=timings[1] * 1000,
            target="<= 100 ms, ratio <= 1.5",
        )
    )

    # --- Encryption overhead per field write vs a raw AES-GCM loop. ----------------------------
    n = 20_000
    key = AESGCM.generate_key(bit_length=256)
    payload = b"a counseling message of moderate length " * 4
    start = time.perf_counter()
    for i in range(n):
        AESGCM(key).encrypt(os.urandom(12), payload, b"app.model.body:%d" % i)
    raw = (time.perf_counter() - start) / n
    crypto.encrypt(payload, subject_id=424242, scope="bench", aad=b"warm")
    start = time.perf_counter()
    for i in range(n):
        crypto.encrypt(payload, subject_id=424242, scope="bench", aad=b"app.model.body:%d" % i)
    ours = (time.perf_counter() - start) / n
    results.append(
        Result(
            "privacy",
            "field encryption overhead (us)",
            (ours - raw) * 1e6,
            "us",
            target="<= 20 us",
            notes={"raw_us": raw * 1e6, "ours_us": ours * 1e6},
        )
    )
    results.append(
        Result("privacy", "field encryption per write (us)", ours * 1e6, "us", floor=raw * 1e6)
    )
    return results
