"""Clinical notes: write, sign, correct by addendum, hold, and produce the record (CARE-7).

Every function takes the acting user and asks the access policy
(``confide.privacy.access.require_note_access``), which audits grants and refusals. Content
never reaches the audit log, logs or e-mails: only ids, codes and the SHA-256 of signed content.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from confide.audit import services as audit
from confide.privacy.access import Action, require_note_access
from confide.records.models import Addendum, Note, NoteHold
from confide.records.templates_data import TEMPLATES

#: Longest text of one section, an addendum or a reason (characters).
MAX_TEXT = 20_000
MIN_REASON = 10


class NoteError(Exception):
    """A refusal to show the counselor, translated; the draft they typed is kept by the view."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


# --- Reading --------------------------------------------------------------------------------------
def clients_for(counselor: Any) -> list[Any]:
    """The counselor's clients: those in active care and those they keep notes about."""
    from django.contrib.auth import get_user_model

    from confide.matching.models import CareRelationship

    if counselor.role != "counselor":
        raise PermissionDenied
    active = CareRelationship.objects.filter(
        counselor=counselor, ended_at__isnull=True
    ).values_list("client_id", flat=True)
    noted = Note.objects.filter(counselor=counselor).values_list("client_id", flat=True)
    ids = set(active) | set(noted)
    return list(get_user_model()._default_manager.filter(pk__in=ids).order_by("pk"))


def client_for(actor: Any, client_id: int, *, write: bool = False) -> Any:
    """The client, if the actor keeps notes about them or is in active care with them (writing
    needs active care). Anyone else is refused, so a page never shows a stranger's name."""
    from django.contrib.auth import get_user_model

    from confide.privacy.access import has_active_care

    action = Action.WRITE_CLINICAL if write else Action.VIEW_CLINICAL
    require_note_access(actor, client_id, action, author_id=actor.pk)
    client = get_user_model()._default_manager.filter(pk=client_id, role="client").first()
    related = has_active_care(actor.pk, client_id) or (
        not write and Note.objects.filter(counselor=actor, client_id=client_id).exists()
    )
    if client is None or not related:
        raise PermissionDenied
    return client


def notes_for(actor: Any, client_id: int) -> QuerySet[Note]:
    """The actor's notes about the client, newest first (content not decrypted)."""
    require_note_access(actor, client_id, Action.VIEW_CLINICAL, author_id=actor.pk)
    return _own_notes(actor, client_id)


def client_with_notes(actor: Any, client_id: int) -> tuple[Any, QuerySet[Note]]:
    """The notes page: the client (``client_for``'s one check and audit) and the notes."""
    return client_for(actor, client_id), _own_notes(actor, client_id)


def _own_notes(actor: Any, client_id: int) -> QuerySet[Note]:
    return Note.objects.filter(client_id=client_id, counselor=actor).select_related("client")


def open_note(actor: Any, note_id: UUID, *, write: bool = False) -> Note:
    note = Note.objects.select_related("client", "counselor").filter(pk=note_id).first()
    if note is None:
        raise PermissionDenied
    action = Action.WRITE_CLINICAL if write else Action.VIEW_CLINICAL
    require_note_access(actor, note.client_id, action, author_id=note.counselor_id, target=note)
    return note


def bookings_for(actor: Any, client_id: int) -> list[Any]:
    """The sessions of this counselor with this client, newest first (to link a note to)."""
    from confide.scheduling.models import Booking

    return list(
        Booking.objects.filter(counselor=actor, client_id=client_id)
        .exclude(status__in=["cancelled", "declined"])
        .order_by("-starts_at")[:50]
    )


# --- Writing --------------------------------------------------------------------------------------
def _clean_content(template_key: str, content: dict[str, Any]) -> dict[str, str]:
    if template_key not in TEMPLATES:
        raise NoteError(_("Choose one of the note templates."))
    cleaned = {}
    for section in TEMPLATES[template_key].sections:
        text = str(content.get(section.key, "") or "").strip()
        if len(text) > MAX_TEXT:
            raise NoteError(
                _("“%(section)s” is too long: at most %(max)s characters.")
                % {"section": section.label, "max": MAX_TEXT}
            )
        cleaned[section.key] = text
    return cleaned


def _booking(actor: Any, client_id: int, booking_id: UUID | None) -> Any:
    if booking_id is None:
        return None
    from confide.scheduling.models import Booking

    booking = Booking.objects.filter(pk=booking_id, counselor=actor, client_id=client_id).first()
    if booking is None:
        raise NoteError(_("That session is not one of yours with this client."))
    return booking


def create_note(
    actor: Any,
    client_id: int,
    template_key: str,
    content: dict[str, Any],
    *,
    booking_id: UUID | None = None,
) -> Note:
    """A new draft, free-standing or about one session."""
    require_note_access(actor, client_id, Action.WRITE_CLINICAL)
    cleaned = _clean_content(template_key, content)
    booking = _booking(actor, client_id, booking_id)
    with transaction.atomic():
        note = Note.objects.create(
            client_id=client_id,
            counselor=actor,
            booking=booking,
            template=template_key,
            content=cleaned,
        )
        audit.record(
            "records.note.created",
            actor=actor,
            subject_id=client_id,
            target=note,
            details={"template": template_key},
        )
    return note


def update_draft(actor: Any, note_id: UUID, content: dict[str, Any]) -> Note:
    with transaction.atomic():
        note = open_note(actor, note_id, write=True)
        note = Note.objects.select_for_update().get(pk=note.pk)
        if note.is_signed:
            raise NoteError(_("This note is signed and cannot change. Add an addendum instead."))
        note.content = _clean_content(note.template, content)
        note.save(update_fields=["content", "updated_at"])
        audit.record("records.note.edited", actor=actor, subject_id=note.client_id, target=note)
    return note


def fingerprint(payload: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    ).hexdigest()


def note_payload(note: Note) -> dict[str, Any]:
    """What a note's signature covers."""
    return {
        "id": str(note.pk),
        "client": note.client_id,
        "counselor": note.counselor_id,
        "booking": str(note.booking_id) if note.booking_id else None,
        "template": note.template,
        "content": note.content,
        "signed_at": note.signed_at.isoformat() if note.signed_at else None,
    }


def sign_note(actor: Any, note_id: UUID) -> Note:
    """Sign a draft: from now on it never changes. Its SHA-256 goes into the audit chain."""
    with transaction.atomic():
        note = open_note(actor, note_id, write=True)
        note = Note.objects.select_for_update().get(pk=note.pk)
        if note.is_signed:
            raise NoteError(_("This note is already signed."))
        content: dict[str, Any] = note.content if isinstance(note.content, dict) else {}
        if not any(str(v).strip() for v in content.values()):
            raise NoteError(_("An empty note cannot be signed. Write the note first."))
        note.status = Note.Status.SIGNED
        note.signed_at = timezone.now()
        note.content_hash = fingerprint(note_payload(note))
        note.save(update_fields=["status", "signed_at", "content_hash", "updated_at"])
        audit.record(
            "records.note.signed",
            actor=actor,
            subject_id=note.client_id,
            target=note,
            details={"sha256": note.content_hash},
        )
    return note


def _reason(text: str) -> str:
    reason = (text or "").strip()
    if len(reason) < MIN_REASON:
        raise NoteError(_("Give a reason of at least %(min)s characters.") % {"min": MIN_REASON})
    if len(reason) > MAX_TEXT:
        raise NoteError(_("The reason is too long."))
    return reason


def add_addendum(actor: Any, note_id: UUID, reason: str, body: str) -> Addendum:
    """A correction to a signed note: the note stays as signed, the addendum says why."""
    with transaction.atomic():
        note = open_note(actor, note_id)
        if not note.is_signed:
            raise NoteError(_("A draft can still be edited: addenda are for signed notes."))
        why = _reason(reason)
        text = (body or "").strip()
        if not text:
            raise NoteError(_("Write the addendum."))
        if len(text) > MAX_TEXT:
            raise NoteError(
                _("The addendum is too long: at most %(max)s characters.") % {"max": MAX_TEXT}
            )
        addendum = Addendum(note=note, author=actor, reason=why, body=text)
        addendum.content_hash = fingerprint(
            {
                "id": str(addendum.pk),
                "note": str(note.pk),
                "note_sha256": note.content_hash,
                "author": actor.pk,
                "reason": why,
                "body": text,
            }
        )
        addendum.save()
        audit.record(
            "records.addendum.added",
            actor=actor,
            subject_id=note.client_id,
            target=note,
            details={"sha256": addendum.content_hash},
        )
    return addendum


# --- Legal holds ----------------------------------------------------------------------------------
def place_hold(actor: Any, note_id: UUID, reason: str) -> NoteHold:
    with transaction.atomic():
        note = open_note(actor, note_id)
        if note.holds.filter(released_on__isnull=True).exists():
            raise NoteError(_("This note is already under a legal hold."))
        hold = NoteHold.objects.create(note=note, placed_by=actor, reason=_reason(reason))
        audit.record("records.hold.placed", actor=actor, subject_id=note.client_id, target=note)
    return hold


def release_hold(actor: Any, note_id: UUID) -> int:
    with transaction.atomic():
        note = open_note(actor, note_id)
        released = note.holds.filter(released_on__isnull=True).update(
            released_on=timezone.now(), released_by=actor
        )
        if not released:
            raise NoteError(_("This note is not under a legal hold."))
        audit.record("records.hold.released", actor=actor, subject_id=note.client_id, target=note)
    return released


def _active_holds() -> QuerySet[NoteHold]:
    return NoteHold.objects.filter(released_on__isnull=True)


def held_notes(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The notes of ``queryset`` under an active legal hold (the retention sweep keeps them)."""
    return queryset.filter(Exists(_active_holds().filter(note=OuterRef("pk"))))


def held_children(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Addenda and holds of notes under an active legal hold."""
    return queryset.filter(Exists(_active_holds().filter(note=OuterRef("note"))))


def is_held(note: Note) -> bool:
    return note.holds.filter(released_on__isnull=True).exists()


# --- The record as a document ---------------------------------------------------------------------
@dataclass
class RecordDocument:
    client: Any
    counselor: Any
    notes: list[Note]
    language: str
    reason: str = ""
    produced_at: Any = None


def record_for_request(actor: Any, client_id: int, reason: str) -> RecordDocument:
    """The counselor's signed notes about the client, with addenda, for a lawful request
    (the client's own access request handed over through the counselor, a court order…)."""
    from confide.core import times

    why = _reason(reason)
    require_note_access(
        actor, client_id, Action.VIEW_CLINICAL, author_id=actor.pk, reason=why[:300]
    )
    notes = list(
        Note.objects.filter(client_id=client_id, counselor=actor, status=Note.Status.SIGNED)
        .select_related("client", "booking")
        .prefetch_related("addenda")
        .order_by("created_at")
    )
    if not notes:
        raise NoteError(_("There is no signed note about this client to put in the record."))
    audit.record(
        "records.record.produced",
        actor=actor,
        subject_id=client_id,
        details={"notes": len(notes)},
    )
    return RecordDocument(
        notes[0].client, actor, notes, times.user_language(actor), why, timezone.now()
    )
