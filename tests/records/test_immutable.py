"""CARE-7: a signed note cannot change, through the service or raw SQL."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from confide.audit.models import AuditEvent
from confide.records import services
from confide.records.models import Note


@pytest.mark.promise("CARE-7")
def test_a_signed_note_cannot_change(db: Any, client_user: Any, counselor: Any, care: Any) -> None:
    note = services.create_note(counselor, client_user.pk, "soap", {"subjective": "calm"})
    services.update_draft(counselor, note.pk, {"subjective": "calmer"})
    note = services.sign_note(counselor, note.pk)
    assert AuditEvent.objects.filter(action="records.note.signed").exists()
    with pytest.raises(services.NoteError):
        services.update_draft(counselor, note.pk, {"subjective": "changed"})
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE records_note SET template = 'free' WHERE id = %s", [note.pk.hex])
    assert Note.objects.get(pk=note.pk).template == "soap"
    services.add_addendum(counselor, note.pk, "a correction of the date", "It was Tuesday.")
    assert note.addenda.count() == 1
