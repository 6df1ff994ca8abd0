"""Worksheet services: the only code that reads or writes worksheets.

Each function takes the acting person explicitly and checks who they are first. A counselor
assigns a template to one of their own clients (the access policy decides, as for goals); the
client fills it in, saves drafts and submits it; the counselor comments on it. A counselor sees
a worksheet's answers only once it is submitted — a draft is the client's own thinking — and
every read of theirs goes through the access policy and is audited (LOG-4). Audit records carry
ids, never a worksheet's words.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from confide.audit import services as audit
from confide.core.errors import DomainError
from confide.privacy.access import Action, require_client_access
from confide.worksheets import catalog
from confide.worksheets.models import Worksheet, WorksheetTemplate

MAX_SHORT = 200
MAX_LONG = 4000
MAX_NOTE = 2000
MAX_COMMENT = 4000
RATING_MIN, RATING_MAX = 0, 10

#: States in which the client may still change the answers.
OPEN = (Worksheet.State.ASSIGNED, Worksheet.State.DRAFT)
#: States in which the counselor may read the answers.
SHARED = (Worksheet.State.SUBMITTED, Worksheet.State.REVIEWED)


class WorksheetError(DomainError):
    """Bad input or a refused change. ``message`` is translated, ``code`` is stable;
    ``fields`` maps a field id to its own translated message."""

    def __init__(self, code: str, message: Any, fields: dict[str, Any] | None = None) -> None:
        super().__init__(code, message)
        self.fields = fields or {}


ERRORS: dict[str, Any] = {
    "not_your_client": _("You can only assign worksheets to your own clients."),
    "unknown_template": _("Choose a worksheet from the list."),
    "due_past": _("The due date cannot be in the past."),
    "note_long": _("The note is too long. Please keep it under 2,000 characters."),
    "comment_empty": _("Write a comment before sending it."),
    "comment_long": _("The comment is too long. Please keep it under 4,000 characters."),
    "wrong_state": _(
        "This worksheet cannot make that change now. Reload the page to see where it is."
    ),
    "invalid": _("Some answers need another look. Nothing was lost: correct them and save again."),
    "incomplete": _("Fill in the required answers before you submit. Your draft was saved."),
}

FIELD_ERRORS: dict[str, Any] = {
    "short_long": _("Please keep this under 200 characters."),
    "long_long": _("Please keep this under 4,000 characters."),
    "rating": _("Choose a whole number from 0 to 10."),
    "date": _("Enter a date such as 2026-03-31."),
    "required": _("This answer is required before you submit."),
}


def error(code: str, fields: dict[str, Any] | None = None) -> WorksheetError:
    return WorksheetError(code, ERRORS[code], fields)


def _audit(action: str, actor: Any, sheet: Worksheet) -> None:
    audit.record(action, actor=actor, subject_id=sheet.client_id, target=sheet)


# --- Answers ------------------------------------------------------------------------------------
def _clean_one(field: dict[str, Any], raw: str) -> tuple[Any, str | None]:
    """One typed answer from what was typed, or (None, error code). Empty is always allowed
    here: whether it may stay empty is decided on submit."""
    value, kind = raw.strip(), field["type"]
    if not value:
        return None, None
    if kind == "short":
        return (value, None) if len(value) <= MAX_SHORT else (None, "short_long")
    if kind == "long":
        return (value, None) if len(value) <= MAX_LONG else (None, "long_long")
    if kind == "rating":
        if value.isdigit() and RATING_MIN <= int(value) <= RATING_MAX:
            return int(value), None
        return None, "rating"
    try:
        return date.fromisoformat(value).isoformat(), None
    except ValueError:
        return None, "date"


def clean_answers(template: WorksheetTemplate, raw: dict[str, str]) -> dict[str, Any]:
    """The template's answers, typed and trimmed, or WorksheetError("invalid") naming each bad
    field. Keys the template does not have are ignored."""
    answers: dict[str, Any] = {}
    problems: dict[str, Any] = {}
    for field in template.fields:
        value, problem = _clean_one(field, str(raw.get(field["id"], "")))
        if problem:
            problems[field["id"]] = FIELD_ERRORS[problem]
        elif value is not None:
            answers[field["id"]] = value
    if problems:
        raise error("invalid", problems)
    return answers


def missing_required(template: WorksheetTemplate, answers: dict[str, Any]) -> dict[str, Any]:
    return {
        f["id"]: FIELD_ERRORS["required"]
        for f in template.fields
        if f.get("required") and f["id"] not in answers
    }


# --- Assigning and starting ---------------------------------------------------------------------
def assign(
    counselor: Any,
    client_id: int,
    template_key: str,
    *,
    due_on: date | None = None,
    note: str = "",
) -> Worksheet:
    """A counselor hands a template to one of their own clients (state: assigned)."""
    if getattr(counselor, "role", "") != "counselor":
        raise PermissionDenied
    template = catalog.current(template_key)
    if template is None:
        raise error("unknown_template")
    if due_on is not None and due_on < timezone.localdate():
        raise error("due_past")
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise error("note_long")
    try:
        require_client_access(counselor, client_id, Action.WRITE_CLINICAL)
    except PermissionDenied:
        raise error("not_your_client") from None
    with transaction.atomic():
        sheet = Worksheet.objects.create(
            client_id=client_id,
            counselor=counselor,
            template=template,
            note=note or None,
            due_on=due_on,
            state=Worksheet.State.ASSIGNED,
        )
        _audit("worksheets.assigned", counselor, sheet)
    return sheet


def start(client: Any, template_key: str) -> Worksheet:
    """A client starts a worksheet on their own (state: draft). Their current counselor, if
    they have one, will see it once it is submitted."""
    from confide.matching.services import current_counselor_id

    if getattr(client, "role", "") != "client":
        raise PermissionDenied
    template = catalog.current(template_key)
    if template is None:
        raise error("unknown_template")
    with transaction.atomic():
        sheet = Worksheet.objects.create(
            client=client,
            counselor_id=current_counselor_id(client),
            template=template,
            started_by_client=True,
            answers={},
            state=Worksheet.State.DRAFT,
        )
        _audit("worksheets.started", client, sheet)
    return sheet


# --- Filling in ---------------------------------------------------------------------------------
def own_worksheet(client: Any, sheet_id: UUID | str, *, for_update: bool = False) -> Worksheet:
    """One of the client's own worksheets, else PermissionDenied (unknown ids too)."""
    rows = Worksheet.objects.select_for_update() if for_update else Worksheet.objects
    try:
        return rows.select_related("template").get(pk=sheet_id, client_id=client.pk)
    except (Worksheet.DoesNotExist, ValidationError, ValueError):
        raise PermissionDenied from None


def save_draft(client: Any, sheet_id: UUID | str, raw: dict[str, str]) -> Worksheet:
    """Keep what the client typed so far (state: draft). Bad input raises WorksheetError and
    changes nothing, so the last good draft stays; the page shows what was typed."""
    with transaction.atomic():
        sheet = own_worksheet(client, sheet_id, for_update=True)
        if sheet.state not in OPEN:
            raise error("wrong_state")
        sheet.answers = clean_answers(sheet.template, raw)
        first = sheet.state == Worksheet.State.ASSIGNED
        sheet.state = Worksheet.State.DRAFT
        sheet.save(update_fields=["answers", "state", "updated_at"])
        if first:  # not every autosave: the client's own typing is no event for the log
            _audit("worksheets.draft_started", client, sheet)
    return sheet


def submit(client: Any, sheet_id: UUID | str, raw: dict[str, str]) -> Worksheet:
    """Hand the worksheet in (state: submitted). Missing required answers keep it a draft,
    with what was typed saved."""
    sheet = save_draft(client, sheet_id, raw)
    missing = missing_required(sheet.template, sheet.answer_map())
    if missing:
        raise error("incomplete", missing)
    with transaction.atomic():
        sheet = own_worksheet(client, sheet_id, for_update=True)
        if sheet.state != Worksheet.State.DRAFT:
            raise error("wrong_state")
        sheet.state, sheet.submitted_at = Worksheet.State.SUBMITTED, timezone.now()
        sheet.save(update_fields=["state", "submitted_at", "updated_at"])
        _audit("worksheets.submitted", client, sheet)
    return sheet


# --- The counselor's side -----------------------------------------------------------------------
def worksheet_for_counselor(
    counselor: Any, sheet_id: UUID | str, *, for_update: bool = False
) -> Worksheet:
    """A worksheet of the counselor's own, while care is active: audited (LOG-4); anyone else,
    including another counselor, gets PermissionDenied."""
    if getattr(counselor, "role", "") != "counselor":
        raise PermissionDenied
    rows = Worksheet.objects.select_for_update() if for_update else Worksheet.objects
    try:
        sheet = rows.select_related("template").get(pk=sheet_id, counselor=counselor)
    except (Worksheet.DoesNotExist, ValidationError, ValueError):
        raise PermissionDenied from None
    if not _counselor_may_know(sheet):
        raise PermissionDenied
    require_client_access(counselor, sheet.client_id, Action.VIEW_CLINICAL, target=sheet)
    return sheet


def _counselor_may_know(sheet: Worksheet) -> bool:
    """A worksheet the client started on their own is theirs alone until they hand it in: the
    counselor does not even learn that it exists (a started safety plan says a lot)."""
    return not sheet.started_by_client or sheet.state in SHARED


def answers_visible(viewer: Any, sheet: Worksheet) -> bool:
    """The client always sees their answers; the counselor only once they are handed in."""
    return viewer.pk == sheet.client_id or sheet.state in SHARED


def comment(counselor: Any, sheet_id: UUID | str, text: str) -> Worksheet:
    """The counselor comments on a submitted worksheet (state: reviewed); commenting again
    replaces the comment."""
    text = text.strip()
    if not text:
        raise error("comment_empty")
    if len(text) > MAX_COMMENT:
        raise error("comment_long")
    with transaction.atomic():
        sheet = worksheet_for_counselor(counselor, sheet_id, for_update=True)
        if sheet.state not in SHARED:
            raise error("wrong_state")
        require_client_access(counselor, sheet.client_id, Action.WRITE_CLINICAL, target=sheet)
        sheet.comment, sheet.state = text, Worksheet.State.REVIEWED
        sheet.reviewed_at = timezone.now()
        sheet.save(update_fields=["comment", "state", "reviewed_at", "updated_at"])
        _audit("worksheets.reviewed", counselor, sheet)
    return sheet


# --- Lists --------------------------------------------------------------------------------------
_ORDER = {"assigned": 0, "draft": 1, "submitted": 2, "reviewed": 3}


def _ordered(rows: Any) -> list[Worksheet]:
    return sorted(rows, key=lambda w: (_ORDER[w.state], -w.created_at.timestamp()))


def worksheets_of_client(client: Any) -> list[Worksheet]:
    """The client's own worksheets: to do first, then drafts, then handed in."""
    return _ordered(Worksheet.objects.filter(client_id=client.pk).select_related("template"))


def worksheets_for_counselor(counselor: Any, client_id: int) -> list[Worksheet]:
    """The worksheets of one current client that this counselor assigned or will receive;
    the read is audited through the access policy."""
    if getattr(counselor, "role", "") != "counselor":
        raise PermissionDenied
    require_client_access(counselor, client_id, Action.VIEW_CLINICAL)
    rows = Worksheet.objects.filter(client_id=client_id, counselor=counselor).exclude(
        started_by_client=True, state__in=OPEN
    )
    return _ordered(rows.select_related("template"))


# --- Erasure ------------------------------------------------------------------------------------
def erase_worksheet(user: Any, item_id: str) -> bool:
    """Item action for the privacy centre (RIGHTS-3): the client erases one worksheet."""
    try:
        deleted, _rows = Worksheet.objects.filter(client_id=user.pk, pk=item_id).delete()
    except (ValidationError, ValueError):
        return False
    if deleted:
        audit.record("worksheets.erased", actor=user, subject_id=user.pk, details={"count": 1})
    return bool(deleted)


def export_templates(user_id: int) -> list[dict[str, Any]]:
    """Export section (RIGHTS-6): the templates this person's worksheets use, so the ``template``
    number and the answer keys of ``records["worksheets.Worksheet"]`` can be read on their own
    (field labels and help in every language)."""
    used = Worksheet.objects.filter(client_id=user_id).values_list("template_id", flat=True)
    rows = WorksheetTemplate.objects.filter(pk__in=set(used)).order_by("pk")
    return [{"id": t.pk, "key": t.key, "version": t.version, **t.definition} for t in rows]
