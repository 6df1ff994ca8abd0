from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from confide.privacy import registry
from confide.privacy.erasure import is_held, read_held
from confide.privacy.inventory import LEGAL_HOLD, all_declarations
from confide.privacy.keys import KeyShredded
from confide.privacy.models import RightsRequest
from confide.privacy.services import erase_account, erase_categories, erase_item
from tests.privacy.scenario import two_subjects

pytestmark = pytest.mark.django_db

SUBJECT_MODELS = [d.label for d in all_declarations() if d.subject is not None and d.fields]


def _rows(label: str, user_id: int) -> list[dict[str, Any]]:
    declaration = next(d for d in all_declarations() if d.label == label)
    queryset = declaration.model._default_manager.filter(**declaration.subject_filter(user_id))
    rows = []
    for obj in queryset.order_by("pk"):
        data: dict[str, Any] = {"pk": obj.pk}
        for name in declaration.fields:
            field = obj._meta.get_field(name)
            try:
                data[name] = getattr(obj, getattr(field, "attname", name))
            except KeyShredded:
                data[name] = "<shredded>"
        rows.append(data)
    return rows


@pytest.mark.promise("RIGHTS-3")
def test_erase_account_then_read_each_declared_model() -> None:
    """For every declared model: only the targeted subject's data goes, held data stays (in a
    restricted state), and the other subject's rows are exactly as before."""
    from confide.privacy.inventory import declaration_for

    a, b, _ = two_subjects()
    seeded = [label for label in SUBJECT_MODELS if _rows(label, a.pk)]
    assert len(seeded) >= 8, seeded  # the scenario reaches most declared models
    others_before = {label: _rows(label, b.pk) for label in SUBJECT_MODELS}
    erase_account(a)
    problems = []
    for label in SUBJECT_MODELS:
        declaration = next(d for d in all_declarations() if d.label == label)
        held = any(s.erasure == LEGAL_HOLD for s in declaration.fields.values())
        after = _rows(label, a.pk)
        if declaration.subject == "self":
            if not (after[0]["email"].endswith("@erased.invalid") and not after[0]["first_name"]):
                problems.append(f"{label}: user row not anonymized")
        elif not held and label != "privacy.Restriction" and after:
            problems.append(f"{label}: {len(after)} rows of the erased subject remain")
        if _rows(label, b.pk) != others_before[label]:
            problems.append(f"{label}: the other subject's rows changed")
        assert declaration_for(declaration.model) is not None
    assert not problems, problems


@pytest.mark.promise("RIGHTS-3")
@pytest.mark.promise("CARE-7")
def test_full_account_erasure_receipt_session_and_allauth_data(client: Any) -> None:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from confide.accounts.models import User

    a, b, _ = two_subjects()
    client.force_login(a)
    done = erase_account(a)
    a.refresh_from_db()
    assert not a.is_active and a.email.startswith("erased-")
    assert not EmailAddress.objects.filter(user=a).exists()
    assert not Authenticator.objects.filter(user=a).exists()
    assert EmailAddress.objects.filter(user=b).exists()
    assert client.get("/privacy/").status_code == 302  # session ended
    assert done.state == RightsRequest.State.DONE
    kept = {line["model"] for line in done.receipt["kept"]}
    assert "scheduling.Booking" in kept
    assert all(line["until"] for line in done.receipt["kept"] if line["reason"] == "legal_hold")
    assert is_held(a.pk)
    assert mail.outbox and "erasure" in mail.outbox[-1].subject.lower()
    assert User.objects.filter(pk=b.pk, is_active=True).exists()


@pytest.mark.promise("CARE-7")
def test_held_records_only_through_break_glass(team_leader: Any, counselor: Any) -> None:
    from django.core.exceptions import PermissionDenied

    from confide.audit.models import AuditEvent
    from confide.privacy.access import Action, can_access_client

    a, _, cnsl = two_subjects()
    erase_account(a)
    assert not can_access_client(cnsl, a.pk, Action.VIEW_CLINICAL)  # care ended
    with pytest.raises(PermissionDenied):
        read_held(counselor, a.pk, reason="curious about it")
    with pytest.raises(PermissionDenied):
        read_held(team_leader, a.pk, reason="why")
    records = read_held(team_leader, a.pk, reason="court order 2026-114 requires the file")
    assert "scheduling.Booking" in records
    event = AuditEvent.objects.filter(action="break_glass.view_clinical").latest("seq")
    assert event.subject_id == a.pk and event.reason.startswith("court order")


@pytest.mark.promise("RIGHTS-3")
def test_erase_chosen_categories(canary: Any) -> None:
    from confide.messaging.models import Message

    a, b, _ = two_subjects(canary.plant("a"), canary.plant("b"))
    done = erase_categories(a, ["content"])
    assert not Message.objects.filter(conversation__client=a).exists()
    assert Message.objects.filter(conversation__client=b).count() == 1
    erased = {line["model"] for line in done.receipt["erased"]}
    assert "messaging.Message" in erased
    a.refresh_from_db()
    assert a.is_active  # the account stays


@pytest.mark.promise("RIGHTS-3")
def test_erase_one_item_through_the_registered_action() -> None:
    from confide.privacy.models import Objection

    def erase_objection(user: Any, item_id: str) -> bool:
        return Objection.objects.filter(user=user, pk=item_id).delete()[0] > 0

    registry.register_item_action("privacy.Objection", "objection", erase_objection)
    a, b, _ = two_subjects()
    mine = Objection.objects.get(user=a)
    theirs = Objection.objects.get(user=b)
    with pytest.raises(LookupError):
        erase_item(a, "privacy.Objection", str(theirs.pk))
    done = erase_item(a, "privacy.Objection", str(mine.pk))
    assert done.state == "done" and not Objection.objects.filter(pk=mine.pk).exists()
    assert Objection.objects.filter(pk=theirs.pk).exists()


def test_request_state_machine() -> None:
    from confide.privacy.services import InvalidTransition, advance, open_request
    from tests.factories import make_user

    user = make_user("client")
    request = open_request(user, "export")
    assert (request.due_at - request.received_at).days == 30
    with pytest.raises(InvalidTransition):
        advance(request, "done")
    with pytest.raises(InvalidTransition):
        advance(request, "refused")  # no reason
    advance(request, "refused", reason="identity could not be verified")
    assert request.completed_at is not None
    with pytest.raises(InvalidTransition):
        advance(request, "verified")


def test_an_export_still_running_is_refused_by_the_erasure() -> None:
    from confide.privacy.services import run_export, start_export
    from tests.factories import make_user

    user = make_user("client", password=None)
    export = start_export(user)  # in a test transaction: the job waits for a commit
    erase_account(user)
    export.refresh_from_db()
    assert export.state == RightsRequest.State.REFUSED
    mail.outbox.clear()
    run_export(str(export.pk))  # the worker picks it up late: nothing happens
    export.refresh_from_db()
    assert not export.archive_name and not mail.outbox
