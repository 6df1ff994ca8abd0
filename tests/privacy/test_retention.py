from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.db.models import Count
from django.db.models.functions import TruncMonth

from confide.privacy import registry, retention
from confide.privacy.models import Aggregate, LegalHold
from tests.factories import make_user

pytestmark = pytest.mark.django_db
START = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)


def _signins(user: Any, count: int) -> None:
    from confide.accounts.models import SignInRecord

    for _ in range(count):
        SignInRecord.objects.create(user=user, event="signed_in")


@pytest.mark.promise("KEEP-1")
@pytest.mark.promise("SHARE-5")
def test_usage_data_goes_after_13_months_and_aggregates_stay() -> None:
    from confide.accounts.models import SignInRecord

    registry.register_rollup("accounts.SignInRecord", retention.count_by_month("signins", "at"))
    user = make_user("client")
    with time_machine.travel(START, tick=False):
        _signins(user, 3)
    with time_machine.travel(START + timedelta(days=200), tick=False):
        _signins(user, 2)

    def monthly() -> dict[str, int]:
        live = SignInRecord.objects.annotate(m=TruncMonth("at")).values("m").annotate(n=Count("pk"))
        totals = {row["m"].strftime("%Y-%m"): row["n"] for row in live}
        for agg in Aggregate.objects.filter(metric="signins"):
            totals[agg.period] = totals.get(agg.period, 0) + agg.value
        return totals

    before = monthly()
    with time_machine.travel(START + timedelta(days=394), tick=False):
        assert retention.sweep().get("accounts.signinrecord") is None  # not yet 13 months
    with time_machine.travel(START + timedelta(days=396), tick=False):
        counts = retention.sweep()
    assert counts["accounts.signinrecord"] == 3
    assert SignInRecord.objects.count() == 2
    assert monthly() == before  # SHARE-5: the aggregate computed before deletion is unchanged


@pytest.mark.promise("KEEP-1")
def test_sweep_records_counts_only_in_the_audit_log() -> None:
    from confide.audit.models import AuditEvent

    retention.sweep()
    event = AuditEvent.objects.filter(action="retention.sweep").latest("seq")
    assert all(isinstance(v, int) for v in event.details.values())


@pytest.mark.promise("CARE-7")
@pytest.mark.promise("KEEP-1")
def test_held_records_are_deleted_when_the_hold_ends(care: Any, settings: Any) -> None:
    from confide.privacy.services import erase_account
    from confide.scheduling.models import Booking

    client = care.client
    with time_machine.travel(START, tick=False):
        Booking.objects.create(
            client=client,
            counselor=care.counselor,
            starts_at=START,
            ends_at=START + timedelta(hours=1),
        )
        erase_account(client)
    hold = LegalHold.objects.get(subject_id=client.pk)
    assert Booking.objects.filter(client=client).count() == 1
    with time_machine.travel(hold.until - timedelta(days=1), tick=False):
        retention.sweep()
    assert Booking.objects.filter(client=client).count() == 1
    with time_machine.travel(hold.until + timedelta(days=1), tick=False):
        counts = retention.sweep()
    assert counts["held.scheduling.booking"] == 1
    assert not Booking.objects.filter(client=client).exists()
    assert not LegalHold.objects.filter(subject_id=client.pk).exists()


def test_every_rule_has_a_duration_or_is_account_bound() -> None:
    from confide.privacy.inventory import RETENTION_RULES

    for rule in RETENTION_RULES:
        assert rule == "account_lifetime" or retention.duration(rule) is not None


def test_legal_hold_proof_ages_from_the_end_of_the_hold() -> None:
    from confide.privacy.inventory import declaration_for

    declaration = declaration_for(LegalHold)
    assert declaration is not None and retention.age_field(declaration) == "until"
