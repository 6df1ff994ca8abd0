from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from confide.audit import services as audit
from confide.audit.models import AuditEvent, AuditHead

pytestmark = pytest.mark.django_db


def _chain(n: int) -> list[AuditEvent]:
    return [audit.record("test.event", subject_id=i, details={"n": i}) for i in range(n)]


def _clear() -> None:
    AuditEvent.objects.all().delete()
    AuditHead.objects.all().delete()


@pytest.mark.promise("ROLE-2")
@pytest.mark.promise("LOG-4")
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    size=st.integers(min_value=1, max_value=8),
    position=st.integers(min_value=0, max_value=7),
    attack=st.sampled_from(["edit", "edit_reason", "delete", "reorder", "swap_content"]),
)
def test_any_single_tamper_is_detected(size: int, position: int, attack: str) -> None:
    _clear()
    events = _chain(size)
    assert audit.verify_chain().ok
    target = events[position % size]
    if attack == "edit":
        AuditEvent.objects.filter(seq=target.seq).update(subject_id=999999)
    elif attack == "edit_reason":
        AuditEvent.objects.filter(seq=target.seq).update(reason="nothing to see")
    elif attack == "delete":
        AuditEvent.objects.filter(seq=target.seq).delete()
    elif attack in {"reorder", "swap_content"}:
        other = events[(position + 1) % size]
        if other.seq == target.seq:
            AuditEvent.objects.filter(seq=target.seq).update(at=target.at - timedelta(days=1))
        else:  # move one record to another place in the sequence
            AuditEvent.objects.filter(seq=target.seq).update(seq=10_000)
            AuditEvent.objects.filter(seq=other.seq).update(seq=target.seq)
            AuditEvent.objects.filter(seq=10_000).update(seq=other.seq)
    report = audit.verify_chain()
    assert not report.ok
    assert report.first_broken is not None and report.first_broken <= max(e.seq for e in events) + 1


def test_verify_audit_command_reports_first_broken_link(capsys: Any) -> None:
    _clear()
    events = _chain(5)
    call_command("verify_audit")
    assert "5 records verified" in capsys.readouterr().out
    AuditEvent.objects.filter(seq=events[2].seq).update(action="test.other")
    with pytest.raises(CommandError, match=f"#{events[2].seq}"):
        call_command("verify_audit")


def test_removing_the_newest_record_is_detected() -> None:
    _clear()
    events = _chain(3)
    AuditEvent.objects.filter(seq=events[-1].seq).delete()
    report = audit.verify_chain()
    assert not report.ok and report.first_broken == events[-1].seq


def test_missing_head_with_records_is_detected() -> None:
    _clear()
    _chain(2)
    AuditHead.objects.all().delete()
    assert not audit.verify_chain().ok


@pytest.mark.promise("KEEP-1")
def test_pruning_old_records_keeps_the_rest_verifiable() -> None:
    _clear()
    old = _chain(3)
    AuditEvent.objects.filter(seq__in=[e.seq for e in old]).update()
    cutoff = timezone.now() + timedelta(seconds=1)
    removed = audit.prune_before(cutoff)
    assert removed == 3
    _chain(2)
    assert audit.verify_chain().ok
    assert audit.verify_chain().checked == 2


def test_details_refuse_free_text() -> None:
    with pytest.raises(ValueError):
        audit.record("test", details={"note": "the client said something"})
    with pytest.raises(ValueError):
        audit.record("test", details={"nested": {"a": 1}})


@pytest.mark.promise("LOG-4")
def test_access_by_counselor_is_audited_and_shown_to_client(care: Any) -> None:
    from confide.privacy.access import Action, require_client_access

    require_client_access(care.counselor, care.client.pk, Action.VIEW_CLINICAL, reason="")
    require_client_access(care.client, care.client.pk, Action.VIEW_CLINICAL)
    seen = audit.events_about(care.client.pk)
    assert [e.actor_id for e in seen] == [care.counselor.pk]
    assert seen[0].action == "access.view_clinical"


def test_a_row_inserted_behind_the_logs_back_is_flagged_and_logging_goes_on() -> None:
    _clear()
    _chain(2)
    last = AuditEvent.objects.order_by("-seq").first()
    assert last is not None
    forged = AuditEvent.objects.create(
        seq=last.seq + 1, at=timezone.now(), action="forged", prev_hash="0" * 64, hash="f" * 64
    )
    event = audit.record("after.forgery")
    assert event.seq == forged.seq + 1
    report = audit.verify_chain()
    assert not report.ok and report.first_broken == forged.seq


@pytest.mark.promise("ROLE-2")
def test_admin_acts_are_chained_with_ids_only(staff_user: Any, client_user: Any) -> None:
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    LogEntry.objects.create(
        user=staff_user,
        content_type=ContentType.objects.get_for_model(type(client_user)),
        object_id=str(client_user.pk),
        object_repr="Ana's private words",
        action_flag=CHANGE,
        change_message="changed nickname to something private",
    )
    event = AuditEvent.objects.filter(action="admin.change").latest("seq")
    assert event.actor_id == staff_user.pk and event.subject_id == client_user.pk
    assert "private" not in str(event.details) + event.reason
    assert audit.verify_chain().ok


@pytest.mark.promise("LOG-4")
def test_a_list_read_writes_one_chained_event_per_row() -> None:
    from confide.audit.models import AuditHead as Head

    _clear()
    audit.record("test.before")
    rows = [Head(id=n) for n in range(5, 9)]  # any model rows stand for the rows read
    assert audit.record_each("access.view_clinical", rows, subject_id=3) == 4
    audit.record("test.after")
    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.target_id for e in events[1:5]] == ["5", "6", "7", "8"]
    assert [e.seq for e in events] == list(range(1, 7))
    assert audit.verify_chain().ok
    AuditEvent.objects.filter(seq=3).update(target_id="99")
    assert audit.verify_chain().first_broken == 3
