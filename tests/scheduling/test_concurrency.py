"""No double booking, ever: many simultaneous attempts on one slot, against the real database
(SQLite here, PostgreSQL in CI when DATABASE_URL is set), through the booking service."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from confide.matching.models import CareRelationship
from confide.scheduling import services
from confide.scheduling.models import Booking
from tests.factories import make_user
from tests.scheduling.conftest import bulk_users, open_hours

ATTEMPTS = 100


def _connection_budget() -> int:
    """PostgreSQL serves max_connections minus what others hold; keep ours inside it."""
    if connection.vendor != "postgresql":
        return ATTEMPTS
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('max_connections')::int - count(*) FROM pg_stat_activity"
        )
        free = int(cursor.fetchone()[0])
    return max(4, min(ATTEMPTS, free - 10))


@pytest.mark.promise("CARE-1")
@pytest.mark.django_db(transaction=True)
def test_a_hundred_simultaneous_attempts_make_exactly_one_booking() -> None:
    counselor = open_hours(make_user("counselor", passkey=True), "Europe/Stockholm")
    clients = bulk_users("client", ATTEMPTS, "race")
    CareRelationship.objects.bulk_create(
        CareRelationship(client=c, counselor=counselor) for c in clients
    )
    slot = services.slots_for(counselor.pk)[0]
    start = threading.Barrier(ATTEMPTS)
    connections = threading.BoundedSemaphore(_connection_budget())
    outcomes: list[str] = []

    def attempt(client: Any) -> None:
        start.wait()
        with connections:
            try:
                services.book(client, slot)
                outcomes.append("booked")
            except services.SlotTaken as taken:
                outcomes.append("taken" if slot not in taken.alternatives else "bad alternatives")
            except Exception as error:  # any other failure is a bug worth seeing
                outcomes.append(repr(error))
            finally:
                connection.close()

    threads = [threading.Thread(target=attempt, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(set(outcomes)) == ["booked", "taken"], set(outcomes)
    assert outcomes.count("booked") == 1
    assert outcomes.count("taken") == ATTEMPTS - 1
    active = Booking.objects.filter(counselor=counselor, status__in=["requested", "confirmed"])
    assert active.count() == 1 and active.get().starts_at == slot


@pytest.mark.django_db(transaction=True)
def test_postgresql_refuses_overlapping_bookings_with_different_starts() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL only")
    counselor, client = make_user("counselor"), make_user("client")
    slot = services.dj_timezone.now() + timedelta(days=3)
    Booking.objects.create(
        client=client, counselor=counselor, starts_at=slot, ends_at=slot + timedelta(hours=1)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            client=client,
            counselor=counselor,
            starts_at=slot + timedelta(minutes=30),
            ends_at=slot + timedelta(minutes=90),
        )
