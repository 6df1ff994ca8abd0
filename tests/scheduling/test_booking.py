"""Booking, rescheduling, cancelling and approving: policy, database guarantees, audit, access."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from confide.audit.models import AuditEvent
from confide.matching.models import CareRelationship
from confide.privacy.models import Restriction
from confide.scheduling import services
from confide.scheduling.models import Booking, Notice
from tests.factories import make_user
from tests.scheduling.conftest import open_hours, utc

NOW = utc(2030, 1, 7, 7)  # Monday 08:00 in Madrid
SLOT = utc(2030, 1, 9, 9)  # Wednesday 10:00 in Madrid


@pytest.fixture(autouse=True)
def _clock(time_machine: Any) -> None:
    time_machine.move_to(NOW, tick=False)


@pytest.mark.promise("CARE-1")
@pytest.mark.promise("CARE-2")
def test_a_client_books_a_free_slot_and_both_sides_are_notified(
    client_user: Any, open_counselor: Any
) -> None:
    booking = services.book(client_user, SLOT)
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.ends_at - booking.starts_at == timedelta(minutes=50)
    assert booking.booked_by == client_user and booking.confirmed_at == NOW
    keys = set(Notice.objects.values_list("recipient_id", "key"))
    assert keys == {(client_user.pk, "confirmed:0"), (open_counselor.pk, "confirmed:0")}
    assert AuditEvent.objects.filter(action="scheduling.booked", subject_id=client_user.pk).exists()


def test_the_same_slot_cannot_be_booked_twice(
    client_user: Any, open_counselor: Any, stranger: Any
) -> None:
    CareRelationship.objects.create(client=stranger, counselor=open_counselor)
    services.book(client_user, SLOT)
    with pytest.raises(services.SlotTaken) as taken:
        services.book(stranger, SLOT)
    assert taken.value.alternatives and SLOT not in taken.value.alternatives
    assert Booking.objects.count() == 1


def test_the_database_refuses_a_double_booking_without_the_service(
    client_user: Any, counselor: Any
) -> None:
    Booking.objects.create(
        client=client_user, counselor=counselor, starts_at=SLOT, ends_at=SLOT + timedelta(hours=1)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            client=make_user("client"),
            counselor=counselor,
            starts_at=SLOT,
            ends_at=SLOT + timedelta(minutes=30),
        )


def test_a_cancelled_booking_does_not_block_the_database_constraint(
    client_user: Any, counselor: Any
) -> None:
    Booking.objects.create(
        client=client_user,
        counselor=counselor,
        starts_at=SLOT,
        ends_at=SLOT + timedelta(hours=1),
        status=Booking.Status.CANCELLED,
    )
    Booking.objects.create(
        client=client_user, counselor=counselor, starts_at=SLOT, ends_at=SLOT + timedelta(hours=1)
    )


def test_only_offered_times_can_be_booked(client_user: Any, open_counselor: Any) -> None:
    with pytest.raises(services.SlotTaken):
        services.book(client_user, SLOT + timedelta(minutes=7))  # off the slot grid
    with pytest.raises(services.SlotTaken):
        services.book(client_user, utc(2030, 1, 9, 22))  # outside working hours
    with pytest.raises(services.SlotTaken):
        services.book(client_user, NOW - timedelta(hours=1))  # in the past


def test_a_restricted_client_cannot_book(client_user: Any, open_counselor: Any) -> None:
    Restriction.objects.create(user=client_user)
    with pytest.raises(services.BookingRefused):
        services.book(client_user, SLOT)
    assert not Booking.objects.exists()


def test_a_client_without_a_counselor_cannot_book(stranger: Any, counselor: Any) -> None:
    open_hours(counselor)
    with pytest.raises(services.BookingRefused):
        services.book(stranger, SLOT)


def test_counselors_cannot_book_as_clients(counselor: Any) -> None:
    with pytest.raises(services.BookingRefused):
        services.book(counselor, SLOT)


def test_approval_flow(client_user: Any, care: Any, counselor: Any) -> None:
    open_hours(counselor, approval=True)
    booking = services.book(client_user, SLOT)
    assert booking.status == Booking.Status.REQUESTED
    with pytest.raises(services.SlotTaken):  # a request holds the time too
        services.book(make_client_of(counselor), SLOT)
    approved = services.approve(counselor, booking)
    assert approved.status == Booking.Status.CONFIRMED and approved.confirmed_at == NOW
    assert Notice.objects.filter(key="confirmed:0", recipient=client_user).exists()


def test_declining_frees_the_time(client_user: Any, care: Any, counselor: Any) -> None:
    open_hours(counselor, approval=True)
    booking = services.book(client_user, SLOT)
    declined = services.decline(counselor, booking, "Away that day")
    assert declined.status == Booking.Status.DECLINED
    assert services.book(make_client_of(counselor), SLOT).status == Booking.Status.REQUESTED


def make_client_of(counselor: Any) -> Any:
    client = make_user("client")
    CareRelationship.objects.create(client=client, counselor=counselor)
    return client


@pytest.mark.promise("CARE-1")
@pytest.mark.promise("CARE-2")
def test_rescheduling_keeps_the_booking_and_records_who_and_when(
    client_user: Any, open_counselor: Any
) -> None:
    booking = services.book(client_user, SLOT)
    later = SLOT + timedelta(days=1)
    moved = services.reschedule(client_user, booking, later)
    assert moved.pk == booking.pk and moved.starts_at == later
    assert moved.previous_starts_at == SLOT
    assert moved.rescheduled_by == client_user and moved.rescheduled_at == NOW
    assert moved.sequence == 1 and moved.reschedule_count == 1
    assert Notice.objects.filter(key="changed:1").count() == 2
    assert services.book(make_client_of(open_counselor), SLOT)  # the old time is free again


def test_a_booking_can_move_to_an_overlapping_time_of_its_own(
    client_user: Any, open_counselor: Any
) -> None:
    open_hours(open_counselor, session=50, buffer=10)
    booking = services.book(client_user, SLOT)
    assert services.reschedule(client_user, booking, SLOT + timedelta(hours=1)).sequence == 1


def test_a_client_cannot_move_a_session_inside_the_free_change_window(
    client_user: Any, open_counselor: Any, time_machine: Any
) -> None:
    booking = services.book(client_user, SLOT)
    time_machine.move_to(SLOT - timedelta(hours=3), tick=False)
    with pytest.raises(services.BookingRefused):
        services.reschedule(client_user, booking, SLOT + timedelta(days=1))
    # …but the counselor still can.
    assert services.reschedule(open_counselor, booking, SLOT + timedelta(days=1)).sequence == 1


@pytest.mark.promise("CARE-2")
def test_cancelling_late_is_recorded(
    client_user: Any, open_counselor: Any, time_machine: Any
) -> None:
    booking = services.book(client_user, SLOT)
    time_machine.move_to(SLOT - timedelta(hours=3), tick=False)
    cancelled = services.cancel(client_user, booking)
    assert cancelled.status == Booking.Status.CANCELLED
    assert cancelled.late_cancellation is True
    assert cancelled.cancelled_by == client_user and cancelled.sequence == 1
    event = AuditEvent.objects.get(action="scheduling.cancelled")
    assert event.details == {"late": True, "by_counselor": False}


def test_cancelling_early_is_free(client_user: Any, open_counselor: Any) -> None:
    cancelled = services.cancel(client_user, services.book(client_user, SLOT))
    assert cancelled.late_cancellation is False
    assert Notice.objects.filter(key="cancelled:1").count() == 2


def test_a_counselor_cancels_with_a_reason_for_the_client(
    client_user: Any, open_counselor: Any
) -> None:
    booking = services.book(client_user, SLOT)
    with pytest.raises(services.BookingRefused):
        services.cancel(open_counselor, booking, "  ")
    cancelled = services.cancel(open_counselor, booking, "I am ill, sorry.")
    assert cancelled.cancel_reason == "I am ill, sorry."
    assert cancelled.late_cancellation is False


def test_a_cancelled_session_cannot_be_cancelled_or_moved_again(
    client_user: Any, open_counselor: Any
) -> None:
    booking = services.cancel(client_user, services.book(client_user, SLOT))
    with pytest.raises(services.BookingRefused):
        services.cancel(client_user, booking)
    with pytest.raises(services.BookingRefused):
        services.reschedule(client_user, booking, SLOT + timedelta(days=1))


def test_other_people_cannot_reach_a_booking(
    client_user: Any, open_counselor: Any, other_counselor: Any, stranger: Any
) -> None:
    booking = services.book(client_user, SLOT)
    for outsider in (other_counselor, stranger):
        with pytest.raises(PermissionDenied):
            services.booking_for(outsider, booking.pk)
    assert services.booking_for(client_user, booking.pk) == booking


def test_the_counselors_access_is_audited(client_user: Any, open_counselor: Any) -> None:
    booking = services.book(client_user, SLOT)
    services.booking_for(open_counselor, booking.pk)
    assert AuditEvent.objects.filter(
        action="access.schedule", actor_id=open_counselor.pk, subject_id=client_user.pk
    ).exists()


def test_a_former_counselor_sees_the_booking_anonymously(
    client_user: Any, open_counselor: Any, care: Any
) -> None:
    services.book(client_user, SLOT)
    care.ended_at = NOW
    care.save()
    upcoming, _past, visible = services.bookings_of(open_counselor)
    assert len(upcoming) == 1 and client_user.pk not in visible
    with pytest.raises(PermissionDenied):
        services.booking_for(open_counselor, upcoming[0].pk)
