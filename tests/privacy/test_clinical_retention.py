"""The clinical record's legal period runs from the client's last session (KEEP-1, CARE-7),
whether or not the account was ever erased."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine

from confide.presets import current_preset
from confide.privacy import clinical, retention
from confide.privacy.models import DataKey, LegalHold

pytestmark = pytest.mark.django_db
FIRST = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
LAST = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def _session(care: Any, start: datetime) -> Any:
    from confide.scheduling.models import Booking

    with time_machine.travel(start - timedelta(days=2), tick=False):
        return Booking.objects.create(
            client=care.client,
            counselor=care.counselor,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            status=Booking.Status.COMPLETED,
            cancel_reason="sealed under the clinical key",
        )


@pytest.fixture
def care(client_user: Any, counselor: Any) -> Any:
    """Care that began before the first session (the shared fixture begins today)."""
    from confide.matching.models import CareRelationship

    with time_machine.travel(FIRST - timedelta(days=30), tick=False):
        return CareRelationship.objects.create(client=client_user, counselor=counselor)


def _period() -> timedelta:
    return current_preset().clinical_record_hold


@pytest.mark.promise("KEEP-1")
@pytest.mark.promise("CARE-7")
def test_a_live_accounts_clinical_record_goes_the_legal_period_after_the_last_session(
    care: Any,
) -> None:
    from confide.scheduling.models import Booking

    _session(care, FIRST)
    _session(care, LAST)
    client = care.client
    assert DataKey.objects.filter(subject_id=client.pk, scope=DataKey.CLINICAL_HOLD).exists()
    ends = LAST + timedelta(hours=1) + _period()
    assert clinical.hold_ends(client.pk) == ends
    # The first session's own period has passed, but the record is one: counted from the last.
    with time_machine.travel(ends - timedelta(days=1), tick=False):
        retention.sweep()
    assert Booking.objects.filter(client=client).count() == 2
    with time_machine.travel(ends + timedelta(days=1), tick=False):
        counts = retention.sweep()
    assert counts["held.scheduling.booking"] == 2
    assert counts["held.matching.carerelationship"] == 1
    assert not Booking.objects.filter(client=client).exists()
    assert not DataKey.objects.filter(subject_id=client.pk, scope=DataKey.CLINICAL_HOLD).exists()
    client.refresh_from_db()
    assert client.is_active  # the account itself stays; only the record the law held goes


@pytest.mark.promise("KEEP-1")
@pytest.mark.promise("CARE-7")
def test_an_erased_accounts_hold_runs_from_the_last_session_not_from_the_erasure(
    care: Any,
) -> None:
    from confide.privacy.services import erase_account
    from confide.scheduling.models import Booking

    _session(care, LAST)
    erased_at = LAST + timedelta(days=400)
    with time_machine.travel(erased_at, tick=False):
        erase_account(care.client)
    hold = LegalHold.objects.get(subject_id=care.client.pk)
    assert hold.until == LAST + timedelta(hours=1) + _period()
    with time_machine.travel(hold.until + timedelta(days=1), tick=False):
        counts = retention.sweep()
    assert counts["held.subjects"] == 1
    assert not Booking.objects.filter(client=care.client).exists()
    assert not LegalHold.objects.filter(subject_id=care.client.pk).exists()


@pytest.mark.promise("KEEP-1")
def test_a_record_whose_last_session_is_recent_is_kept(
    client_user: Any, stranger: Any, counselor: Any
) -> None:
    from confide.matching.models import CareRelationship
    from confide.scheduling.models import Booking

    with time_machine.travel(FIRST - timedelta(days=30), tick=False):
        old = CareRelationship.objects.create(client=client_user, counselor=counselor)
        recent = CareRelationship.objects.create(client=stranger, counselor=counselor)
    _session(old, FIRST)
    _session(recent, FIRST + timedelta(days=3) + _period())  # later: still inside its period
    with time_machine.travel(FIRST + timedelta(days=2) + _period(), tick=False):
        retention.sweep()
    assert not Booking.objects.filter(client=client_user).exists()
    assert Booking.objects.filter(client=stranger).count() == 1
    assert CareRelationship.objects.filter(client=stranger).exists()


def test_every_model_of_the_clinical_record_has_an_entry_date() -> None:
    """Undated rows would never reach the end of their legal period."""
    declarations = clinical.clinical_declarations()
    assert {d.label for d in declarations} >= {"scheduling.Booking", "matching.CareRelationship"}
    for declaration in declarations:
        assert clinical.entry_date_field(declaration), declaration.label
