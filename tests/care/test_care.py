"""Goals and journals (CARE-6), their access rules, LOG-2 counts, export and erasure."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse

from confide.accounts.models import SignInRecord
from confide.audit.models import AuditEvent
from confide.care import services
from confide.care.models import Goal, JournalEntry
from confide.care.rendering import render_entry

pytestmark = pytest.mark.django_db


def _goal(counselor: Any, client: Any, title: str = "Walk every morning") -> Goal:
    return services.assign_goal(counselor, client.pk, services.GoalDraft(title, "More energy"))


@pytest.mark.promise("CARE-6")
def test_a_goal_is_assigned_started_and_completed_by_the_right_people(
    care: Any, client_user: Any, counselor: Any, other_counselor: Any
) -> None:
    goal = _goal(counselor, client_user)
    assert goal.state == "assigned" and goal.assigned_at
    with pytest.raises(PermissionDenied):
        services.change_goal(counselor, goal.pk, "start")
    with pytest.raises(PermissionDenied):
        services.change_goal(other_counselor, goal.pk, "start")
    services.change_goal(client_user, goal.pk, "start")
    goal = services.change_goal(client_user, goal.pk, "complete")
    assert goal.state == "completed" and goal.started_at and goal.completed_at
    with pytest.raises(services.CareError):
        services.change_goal(client_user, goal.pk, "start")


def test_a_counselor_cannot_set_goals_for_someone_elses_client(
    care: Any, client_user: Any, other_counselor: Any
) -> None:
    with pytest.raises(services.CareError):
        _goal(other_counselor, client_user)


def test_a_client_proposes_and_the_counselor_accepts(
    care: Any, client_user: Any, counselor: Any
) -> None:
    goal = services.propose_goal(client_user, services.GoalDraft("Sleep", "Rest"))
    assert goal.state == "proposed"
    with pytest.raises(PermissionDenied):
        services.change_goal(client_user, goal.pk, "accept")
    assert services.change_goal(counselor, goal.pk, "accept").state == "assigned"


@pytest.mark.promise("LOG-2")
def test_sign_in_records_count_goals_never_their_text(
    care: Any, client_user: Any, counselor: Any, client: Any, canary: Any
) -> None:
    client.force_login(counselor)
    client.get("/")
    SignInRecord.objects.create(user=counselor, event="signed_in")
    SignInRecord.objects.create(user=client_user, event="signed_in")
    title = canary.plant("goal")
    goal = _goal(counselor, client_user, title)
    services.change_goal(client_user, goal.pk, "start")
    services.change_goal(client_user, goal.pk, "complete")
    mine = SignInRecord.objects.filter(user=counselor).order_by("-at", "-id").first()
    theirs = SignInRecord.objects.filter(user=client_user).order_by("-at", "-id").first()
    assert mine is not None and theirs is not None
    assert mine.goals_assigned == 1
    assert (theirs.goals_started, theirs.goals_completed) == (1, 1)


@pytest.mark.promise("CARE-6")
def test_unsharing_cuts_the_counselor_off_at_once(
    care: Any, client_user: Any, counselor: Any, other_counselor: Any
) -> None:
    shared = services.write_entry(client_user, services.EntryDraft("shared words"))
    services.write_entry(client_user, services.EntryDraft("private words"))
    services.share_entry(client_user, shared.pk)
    seen = services.shared_entries_for_counselor(counselor, client_user.pk)
    assert [e.pk for e in seen] == [shared.pk]
    assert AuditEvent.objects.filter(action="access.view_clinical", actor_id=counselor.pk).exists()
    with pytest.raises(PermissionDenied):
        services.shared_entry_for_counselor(other_counselor, shared.pk)
    services.unshare_entry(client_user, shared.pk)
    assert services.shared_entries_for_counselor(counselor, client_user.pk) == []
    with pytest.raises(PermissionDenied):
        services.shared_entry_for_counselor(counselor, shared.pk)


def test_a_client_searches_and_filters_own_entries(client_user: Any, stranger: Any) -> None:
    services.write_entry(client_user, services.EntryDraft("Rainy walk", mood="low", tags=("park",)))
    services.write_entry(client_user, services.EntryDraft("Sunny day", mood="good"))
    services.write_entry(stranger, services.EntryDraft("Rainy too"))
    assert [e.body for e in services.entries_of_client(client_user, query="rainy")] == [
        "Rainy walk"
    ]
    assert len(services.entries_of_client(client_user, mood="good")) == 1
    assert len(services.entries_of_client(client_user, tag="park")) == 1


def test_markdown_is_sanitized() -> None:
    html = render_entry("# Title\n<script>alert(1)</script> [x](javascript:alert(1))", True)
    assert "<script>" not in html and 'href="javascript' not in html and "<h3>" in html


@pytest.mark.promise("CARE-6")
def test_content_is_encrypted_at_rest(client_user: Any) -> None:
    entry = services.write_entry(client_user, services.EntryDraft("secret-words-xyz"))
    with connection.cursor() as cur:
        cur.execute("SELECT body FROM care_journalentry WHERE id = %s", [entry.pk.hex])
        raw = bytes(cur.fetchone()[0])
    assert b"secret-words-xyz" not in raw


@pytest.mark.promise("RIGHTS-3")
def test_one_entry_and_one_goal_can_be_erased(
    care: Any, client_user: Any, counselor: Any, stranger: Any
) -> None:
    entry = services.write_entry(client_user, services.EntryDraft("words"))
    goal = _goal(counselor, client_user)
    assert not services.erase_entry(stranger, str(entry.pk))
    assert services.erase_entry(client_user, str(entry.pk))
    assert services.erase_goal(client_user, str(goal.pk))
    assert not JournalEntry.objects.exists() and not Goal.objects.exists()


@pytest.mark.promise("RIGHTS-1")
@pytest.mark.promise("RIGHTS-6")
def test_the_export_holds_goals_and_journal(care: Any, client_user: Any, counselor: Any) -> None:
    from confide.privacy.export import collect

    services.write_entry(client_user, services.EntryDraft("my entry text"))
    _goal(counselor, client_user, "my goal title")
    data = collect(client_user.pk)
    assert data["records"]["care.JournalEntry"]["rows"][0]["body"] == "my entry text"
    assert data["records"]["care.Goal"]["rows"][0]["title"] == "my goal title"


def test_pages_flow_and_a_failed_save_keeps_the_draft(
    care: Any, client_user: Any, counselor: Any, client: Any, canary: Any
) -> None:
    client.force_login(client_user)
    assert client.get(reverse("care:home")).status_code == 200
    text = canary.plant("journal")
    response = client.post(reverse("care:new_entry"), {"body": text, "mood": "nonsense"})
    assert text in response.content.decode() and "alert" in response.content.decode()
    response = client.post(reverse("care:new_entry"), {"body": text, "mood": "low"})
    assert response.status_code == 302
    assert client.get(reverse("care:journal")).status_code == 200
    client.force_login(counselor)
    page = client.get(reverse("care:client_file", args=[client_user.pk]))
    assert page.status_code == 200 and text not in page.content.decode()


@pytest.mark.promise("RIGHTS-3")
@pytest.mark.promise("KEEP-1")
def test_erasing_the_account_leaves_no_goal_or_entry_readable(
    care: Any, client_user: Any, counselor: Any
) -> None:
    from confide.privacy.erasure import erase_account

    services.write_entry(client_user, services.EntryDraft("words to forget"))
    _goal(counselor, client_user, "goal to forget")
    erase_account(client_user)
    readable = []
    for row, field in [
        *((e, "body") for e in JournalEntry.objects.filter(client_id=client_user.pk)),
        *((g, "title") for g in Goal.objects.filter(client_id=client_user.pk)),
    ]:
        try:
            readable.append(getattr(row, field))
        except Exception:  # noqa: S112 (shredded: no key to open it, which is the point)
            continue
    assert "words to forget" not in readable and "goal to forget" not in readable
