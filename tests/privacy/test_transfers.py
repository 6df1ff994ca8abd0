"""Business transfers (SHARE-6): everyone is told in their language, and no data moves to the
recipient before the notice period has passed."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from confide.audit.models import AuditEvent
from confide.privacy.models import BusinessTransfer
from confide.privacy.services import set_restriction
from confide.privacy.transfers import TransferRefused, announce_transfer, export_for_transfer
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def announce(capture: Any, **kwargs: Any) -> BusinessTransfer:
    with capture(execute=True):
        transfer = announce_transfer("Acme Health S.L.", **kwargs)
    transfer.refresh_from_db()
    return transfer


@pytest.mark.promise("SHARE-6")
def test_everyone_is_told_in_their_language_before_any_data_moves(
    client_user: Any, counselor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client_user.language = "es"
    client_user.save(update_fields=["language"])
    transfer = announce(django_capture_on_commit_callbacks)
    assert (transfer.moves_at - transfer.announced_at).days == 30  # the preset's notice period
    notices = {m.to[0]: m for m in mail.outbox}
    assert set(notices) == {client_user.email, counselor.email}
    assert all("Acme Health S.L." in str(m.body) for m in notices.values())
    assert "transferido" in notices[client_user.email].subject  # Spanish for this client
    assert AuditEvent.objects.filter(action="privacy.transfer_announced").exists()
    with pytest.raises(ValueError):
        announce_transfer("Acme Health S.L.", notice_days=3)  # shorter than the preset allows


@pytest.mark.promise("SHARE-6")
def test_the_export_to_the_recipient_is_refused_until_the_notice_period_ends(
    client_user: Any, counselor: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    transfer = announce(django_capture_on_commit_callbacks)
    out = tmp_path / "to-acme"
    for when in (timezone.now(), transfer.moves_at - timedelta(seconds=1)):
        with pytest.raises(TransferRefused):
            export_for_transfer(transfer, out, now=when)
    with pytest.raises(CommandError, match="refused"):
        call_command("transfer_export", str(transfer.pk), str(out))
    assert not out.exists() or not any(out.iterdir())  # nothing was written
    restricted = make_user(email="restricted@example.test")
    set_restriction(restricted, True)
    latecomer = make_user(email="late@example.test")  # never told: joined after the notice
    latecomer.date_joined = transfer.notice_sent_at + timedelta(minutes=1)
    latecomer.save(update_fields=["date_joined"])
    count = export_for_transfer(transfer, out, now=transfer.moves_at + timedelta(seconds=1))
    exported = {int(p.stem) for p in out.iterdir()}
    assert count == 2 and exported == {client_user.pk, counselor.pk}
    assert json.loads((out / f"{client_user.pk}.json").read_text())["subject_id"] == client_user.pk
    assert AuditEvent.objects.get(action="privacy.transfer_exported").details == {"accounts": 2}


@pytest.mark.promise("SHARE-6")
def test_an_unannounced_transfer_cannot_be_exported(
    tmp_path: Path, client_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with pytest.raises(CommandError, match="announce it first"):
        call_command("transfer_export", "not-a-transfer", str(tmp_path))
    transfer = BusinessTransfer.objects.create(
        recipient="Acme", moves_at=timezone.now() - timedelta(days=1)
    )
    with pytest.raises(TransferRefused):  # the notice never went out
        export_for_transfer(transfer, tmp_path)
