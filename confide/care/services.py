"""Care services: the only code that reads or writes goals and journal entries.

Each function takes the acting person explicitly and checks who they are before anything else:
goals are set by the counselor (or proposed by the client and accepted by the counselor), started
and completed by the client; journal entries belong to the client alone, and a counselor reads one
only while it is shared with them, every read through the access policy and audited (LOG-4).
Audit records and sign-in counts carry ids and numbers, never a goal's or entry's words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from confide.audit import services as audit
from confide.care.models import Goal, JournalEntry
from confide.core.errors import DomainError
from confide.privacy.access import (
    Action,
    require_client_access,
    require_client_access_to_each,
)

MAX_TITLE = 200
MAX_WHY = 2000
MAX_STEPS = 4000
MAX_BODY = 20000
MAX_TAGS = 10
MAX_TAG = 40


class CareError(DomainError):
    """Bad input or a refused change; ``message`` is translated, ``code`` is stable."""


ERRORS: dict[str, Any] = {
    "title_empty": _("Give the goal a short title."),
    "title_long": _("The title is too long. Please keep it under 200 characters."),
    "why_empty": _("Say in a few words why this goal matters."),
    "why_long": _("The reason is too long. Please keep it under 2,000 characters."),
    "steps_long": _("The steps are too long. Please keep them under 4,000 characters."),
    "due_past": _("The due date cannot be in the past."),
    "no_counselor": _("You need a counselor before you can propose a goal."),
    "not_your_client": _("You can only set goals for your own clients."),
    "wrong_state": _("This goal cannot make that change now. Reload the page to see where it is."),
    "not_found": _("This goal or entry no longer exists."),
    "body_empty": _("Write something before saving the entry."),
    "body_long": _("This entry is too long. Please keep it under 20,000 characters."),
    "bad_mood": _("Choose a mood from the list, or none."),
    "too_many_tags": _("Use at most 10 tags."),
    "tag_long": _("Each tag can be up to 40 characters."),
}


def error(code: str) -> CareError:
    return CareError(code, ERRORS[code])


# --- Goals --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GoalDraft:
    title: str
    why: str
    steps: str = ""
    due_on: date | None = None


def validate_goal(draft: GoalDraft) -> GoalDraft:
    """Check a goal's words and date; returns the trimmed draft or raises CareError."""
    title, why, steps = draft.title.strip(), draft.why.strip(), draft.steps.strip()
    for value, limit, empty, long in (
        (title, MAX_TITLE, "title_empty", "title_long"),
        (why, MAX_WHY, "why_empty", "why_long"),
    ):
        if not value:
            raise error(empty)
        if len(value) > limit:
            raise error(long)
    if len(steps) > MAX_STEPS:
        raise error("steps_long")
    if draft.due_on is not None and draft.due_on < timezone.localdate():
        raise error("due_past")
    return GoalDraft(title, why, steps, draft.due_on)


def _count(user_id: int, session_key: str | None, change: str) -> None:
    """LOG-2: a number on the sign-in record of the person who made the change."""
    from confide.accounts.signins import count_goal

    count_goal(user_id, session_key, change)


def _audit(action: str, actor: Any, goal_or_entry: Any) -> None:
    audit.record(action, actor=actor, subject_id=goal_or_entry.client_id, target=goal_or_entry)


def assign_goal(
    counselor: Any, client_id: int, draft: GoalDraft, *, session_key: str | None = None
) -> Goal:
    """A counselor sets a goal for one of their own clients (state: assigned)."""
    if getattr(counselor, "role", "") != "counselor":
        raise PermissionDenied
    draft = validate_goal(draft)
    try:
        require_client_access(counselor, client_id, Action.WRITE_CLINICAL)
    except PermissionDenied:
        raise error("not_your_client") from None
    now = timezone.now()
    with transaction.atomic():
        goal = Goal.objects.create(
            client_id=client_id,
            counselor=counselor,
            title=draft.title,
            why=draft.why,
            steps=draft.steps or None,
            due_on=draft.due_on,
            state=Goal.State.ASSIGNED,
            assigned_at=now,
        )
        _audit("care.goal_assigned", counselor, goal)
        _count(counselor.pk, session_key, "assigned")
    return goal


def propose_goal(client: Any, draft: GoalDraft) -> Goal:
    """A client proposes a goal to their current counselor (state: proposed)."""
    from confide.matching.services import current_counselor_id

    if getattr(client, "role", "") != "client":
        raise PermissionDenied
    draft = validate_goal(draft)
    counselor_id = current_counselor_id(client)
    if counselor_id is None:
        raise error("no_counselor")
    with transaction.atomic():
        goal = Goal.objects.create(
            client=client,
            counselor_id=counselor_id,
            proposed_by_client=True,
            title=draft.title,
            why=draft.why,
            steps=draft.steps or None,
            due_on=draft.due_on,
            state=Goal.State.PROPOSED,
        )
        _audit("care.goal_proposed", client, goal)
    return goal


#: change -> (who may make it, states it starts from, new state, timestamp field, LOG-2 count)
TRANSITIONS: dict[str, tuple[str, tuple[str, ...], str, str, str | None]] = {
    "accept": ("counselor", ("proposed",), "assigned", "assigned_at", "assigned"),
    "start": ("client", ("assigned",), "started", "started_at", "started"),
    "complete": ("client", ("assigned", "started"), "completed", "completed_at", "completed"),
    "drop": ("counselor", ("proposed", "assigned", "started"), "dropped", "dropped_at", None),
    "withdraw": ("client", ("proposed",), "dropped", "dropped_at", None),
}


def allowed_changes(actor: Any, goal: Goal) -> list[str]:
    """The changes ``actor`` may make to ``goal`` now (for the buttons on the page)."""
    side = "client" if actor.pk == goal.client_id else "counselor"
    return [
        name
        for name, (who, sources, *_rest) in TRANSITIONS.items()
        if who == side and goal.state in sources
    ]


def change_goal(
    actor: Any, goal_id: UUID | str, change: str, *, session_key: str | None = None
) -> Goal:
    """Move a goal on by ``change`` (a key of TRANSITIONS), by the right person only, with its
    time stamped; refused as PermissionDenied for anyone else."""
    if change not in TRANSITIONS:
        raise PermissionDenied
    who, sources, target, stamp, counted = TRANSITIONS[change]
    with transaction.atomic():
        goal = goal_for(actor, goal_id, for_update=True)
        is_client = actor.pk == goal.client_id
        if (who == "client") != is_client:
            raise PermissionDenied
        if goal.state not in sources:
            raise error("wrong_state")
        goal.state = target
        setattr(goal, stamp, timezone.now())
        goal.save(update_fields=["state", stamp])
        _audit(f"care.goal_{target}", actor, goal)
        if counted:
            _count(actor.pk, session_key, counted)
    return goal


def goal_for(actor: Any, goal_id: UUID | str, *, for_update: bool = False) -> Goal:
    """One goal for its client or their current counselor (audited), else PermissionDenied."""
    rows = Goal.objects.select_for_update() if for_update else Goal.objects
    try:
        goal = rows.get(pk=goal_id)
    except (Goal.DoesNotExist, ValidationError, ValueError):
        raise PermissionDenied from None
    if actor.pk not in (goal.client_id, goal.counselor_id):
        raise PermissionDenied
    require_client_access(actor, goal.client_id, Action.VIEW_CLINICAL, target=goal)
    return goal


def goals_of_client(client: Any) -> list[Goal]:
    """The client's own goals, open ones first."""
    return _ordered(Goal.objects.filter(client=client).select_related("counselor"))


def goals_for_counselor(counselor: Any, client_id: int) -> list[Goal]:
    """The goals a counselor set with (or was proposed by) one of their current clients."""
    require_client_access(counselor, client_id, Action.VIEW_CLINICAL)
    return _ordered(Goal.objects.filter(client_id=client_id, counselor=counselor))


def _ordered(rows: Any) -> list[Goal]:
    open_first = {"proposed": 0, "started": 1, "assigned": 2, "completed": 3, "dropped": 4}
    return sorted(rows, key=lambda g: (open_first[g.state], -g.created_at.timestamp()))


def erase_goal(user: Any, item_id: str) -> bool:
    """Item action for the privacy centre (RIGHTS-3): the client erases one of their goals."""
    try:
        deleted, _rows = Goal.objects.filter(client=user, pk=item_id).delete()
    except (ValidationError, ValueError):
        return False
    if deleted:
        audit.record("care.goal_erased", actor=user, subject_id=user.pk, details={"count": 1})
    return bool(deleted)


# --- Journal ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EntryDraft:
    body: str
    markdown: bool = False
    mood: str = ""
    tags: tuple[str, ...] = ()


def parse_tags(raw: str) -> tuple[str, ...]:
    """Comma-separated tags, trimmed, lower-cased, without repeats, in the order written."""
    seen: dict[str, None] = {}
    for part in raw.split(","):
        tag = " ".join(part.split()).lower()
        if tag:
            seen.setdefault(tag, None)
    return tuple(seen)


def validate_entry(draft: EntryDraft) -> EntryDraft:
    body = draft.body.strip()
    if not body:
        raise error("body_empty")
    if len(body) > MAX_BODY:
        raise error("body_long")
    if draft.mood and draft.mood not in JournalEntry.Mood.values:
        raise error("bad_mood")
    if len(draft.tags) > MAX_TAGS:
        raise error("too_many_tags")
    if any(len(tag) > MAX_TAG for tag in draft.tags):
        raise error("tag_long")
    return EntryDraft(body, draft.markdown, draft.mood, draft.tags)


def write_entry(client: Any, draft: EntryDraft) -> JournalEntry:
    """A client writes a new entry, private to them."""
    if getattr(client, "role", "") != "client":
        raise PermissionDenied
    draft = validate_entry(draft)
    with transaction.atomic():
        entry = JournalEntry.objects.create(
            client=client,
            body=draft.body,
            markdown=draft.markdown,
            mood=draft.mood or None,
            tags=list(draft.tags) or None,
        )
        _audit("care.entry_written", client, entry)
    return entry


def update_entry(client: Any, entry_id: UUID | str, draft: EntryDraft) -> JournalEntry:
    draft = validate_entry(draft)
    with transaction.atomic():
        entry = own_entry(client, entry_id)
        entry.body, entry.markdown = draft.body, draft.markdown
        entry.mood, entry.tags = draft.mood or None, list(draft.tags) or None
        entry.save(update_fields=["body", "markdown", "mood", "tags", "updated_at"])
        _audit("care.entry_changed", client, entry)
    return entry


def own_entry(client: Any, entry_id: UUID | str) -> JournalEntry:
    """One of the client's own entries, else PermissionDenied (unknown ids too)."""
    try:
        return JournalEntry.objects.get(pk=entry_id, client_id=client.pk)
    except (JournalEntry.DoesNotExist, ValidationError, ValueError):
        raise PermissionDenied from None


def share_entry(client: Any, entry_id: UUID | str) -> JournalEntry:
    """Share one entry with the client's current counselor."""
    from confide.matching.services import current_counselor_id

    counselor_id = current_counselor_id(client)
    if counselor_id is None:
        raise error("no_counselor")
    with transaction.atomic():
        entry = own_entry(client, entry_id)
        entry.shared_with_id, entry.shared_at = counselor_id, timezone.now()
        entry.save(update_fields=["shared_with", "shared_at"])
        _audit("care.entry_shared", client, entry)
    return entry


def unshare_entry(client: Any, entry_id: UUID | str) -> JournalEntry:
    """Make an entry private again: the counselor's next request is refused."""
    with transaction.atomic():
        entry = own_entry(client, entry_id)
        entry.shared_with_id, entry.shared_at = None, None
        entry.save(update_fields=["shared_with", "shared_at"])
        _audit("care.entry_unshared", client, entry)
    return entry


def delete_entry(client: Any, entry_id: UUID | str) -> None:
    with transaction.atomic():
        entry = own_entry(client, entry_id)
        _audit("care.entry_deleted", client, entry)
        entry.delete()


def erase_entry(user: Any, item_id: str) -> bool:
    """Item action for the privacy centre (RIGHTS-3)."""
    try:
        delete_entry(user, item_id)
    except PermissionDenied:
        return False
    return True


def entries_of_client(
    client: Any, *, query: str = "", mood: str = "", tag: str = "", shared: str = ""
) -> list[JournalEntry]:
    """The client's own entries, newest first, filtered. Content is sealed, so the search runs
    here over the decrypted text of this one client's entries (a few hundred at most)."""
    rows = JournalEntry.objects.filter(client_id=client.pk)
    if shared == "yes":
        rows = rows.filter(shared_with__isnull=False)
    elif shared == "no":
        rows = rows.filter(shared_with__isnull=True)
    needle, tag = query.strip().casefold(), tag.strip().lower()
    found = []
    for entry in rows.order_by("-created_at"):
        if mood and entry.mood != mood:
            continue
        tags = entry_tags(entry)
        if tag and tag not in tags:
            continue
        if (
            needle
            and needle not in str(entry.body).casefold()
            and not any(needle in t for t in tags)
        ):
            continue
        found.append(entry)
    return found


def tags_of_client(client: Any) -> list[str]:
    tags: set[str] = set()
    for entry in JournalEntry.objects.filter(client_id=client.pk).only("id", "tags", "client"):
        tags.update(entry_tags(entry))
    return sorted(tags)


def entry_tags(entry: JournalEntry) -> list[str]:
    """An entry's tags as a list of strings (the sealed JSON field holds a list or nothing)."""
    value: Any = entry.tags
    return [str(t) for t in value] if isinstance(value, list) else []


def shared_entries_for_counselor(counselor: Any, client_id: int) -> list[JournalEntry]:
    """The entries a client currently shares with this counselor; each one read is audited
    through the access policy (refused outright without active care)."""
    if getattr(counselor, "role", "") != "counselor":
        raise PermissionDenied
    # One decision and one write for the page; still one audit event per entry read.
    return require_client_access_to_each(
        counselor,
        client_id,
        Action.VIEW_CLINICAL,
        JournalEntry.objects.filter(client_id=client_id, shared_with=counselor).order_by(
            "-created_at"
        ),
    )


def shared_entry_for_counselor(counselor: Any, entry_id: UUID | str) -> JournalEntry:
    """One entry, only while it is shared with this counselor and care is active; audited."""
    if getattr(counselor, "role", "") != "counselor":
        raise PermissionDenied
    try:
        entry = JournalEntry.objects.get(pk=entry_id, shared_with=counselor)
    except (JournalEntry.DoesNotExist, ValidationError, ValueError):
        raise PermissionDenied from None
    require_client_access(counselor, entry.client_id, Action.VIEW_CLINICAL, target=entry)
    return entry
