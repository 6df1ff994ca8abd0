"""KEEP-2: deletion reaches backups within the stated delay, proved on a real backup.

A real backup of the database (SQLite's online backup API, or pg_dump restored into a scratch
database) is taken; the client is then erased; the key store rotates daily as in production.
Before the delay the backup restores (so the proof can fail); after ``backup_shred_delay`` the
erased client's data in it cannot be read with any key that still exists, while live data of
others stays readable. The backup holds no key-encryption key at all.
"""

from __future__ import annotations

import base64
import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.db import connection

from confide.presets import current_preset
from confide.privacy.keys import keyring, reset_keyring
from confide.privacy.keystore import KekDestroyed
from confide.privacy.rotation import rotate
from tests.factories import make_user

T0 = datetime(2027, 1, 4, 9, 0, tzinfo=datetime.now().astimezone().tzinfo)
Query = Callable[[str, list[Any]], list[tuple[Any, ...]]]


@pytest.fixture
def key_store(settings: Any, tmp_path: Path) -> Iterator[Path]:
    settings.KEYSTORE_FILE = tmp_path / "keystore" / "keks.json"
    settings.KEK = None
    settings.KMS_BACKEND = None
    reset_keyring()
    yield settings.KEYSTORE_FILE
    reset_keyring()


def _sqlite_backup(target: Path) -> Query:
    destination = sqlite3.connect(target)
    connection.ensure_connection()
    connection.connection.backup(destination)
    destination.close()

    def query(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        with sqlite3.connect(target) as db:
            return db.execute(sql.replace("%s", "?"), params).fetchall()

    return query


def _postgres_backup(target: Path) -> Query:
    import psycopg

    if not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    conf = connection.settings_dict
    args = ["-h", conf["HOST"] or "127.0.0.1", "-p", str(conf["PORT"] or 5432)]
    args += ["-U", conf["USER"] or "postgres"]
    subprocess.run(["pg_dump", *args, "-f", str(target), conf["NAME"]], check=True)
    scratch = f"restore_{uuid.uuid4().hex[:12]}"
    subprocess.run(["createdb", *args, scratch], check=True)
    subprocess.run(
        ["psql", *args, "-q", "-d", scratch, "-f", str(target)], check=True, capture_output=True
    )
    dsn = f"host={args[1]} port={args[3]} user={args[5]} dbname={scratch}"

    def query(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        with psycopg.connect(dsn) as db:
            return db.execute(
                sql, [str(p) if isinstance(p, uuid.UUID) else p for p in params]
            ).fetchall()

    return query


def _backup(tmp_path: Path) -> tuple[Path, Query]:
    if connection.vendor == "sqlite":
        target = tmp_path / "backup.sqlite3"
        return target, _sqlite_backup(target)
    target = tmp_path / "backup.sql"
    return target, _postgres_backup(target)


def _read_from_backup(query: Query, message_id: Any) -> str:
    """Restore one message from the backup with the keys that exist now."""
    from confide.messaging.models import Message

    pk = message_id.hex if connection.vendor == "sqlite" else message_id
    (blob,) = query("SELECT body FROM messaging_message WHERE id = %s", [pk])[0]
    blob = bytes(blob)
    key_id = uuid.UUID(bytes=blob[2:18])
    key_pk = key_id.hex if connection.vendor == "sqlite" else key_id
    (kek_id, wrapped) = query(
        "SELECT kek_id, wrapped FROM privacy_datakey WHERE id = %s", [key_pk]
    )[0]
    data_key = keyring().unwrap(kek_id, bytes(wrapped))
    aad = Message._meta.get_field("body").aad(Message(pk=message_id))  # type: ignore[attr-defined]
    return AESGCM(data_key).decrypt(blob[18:30], blob[30:], aad + key_id.bytes).decode()


def _message(client: Any, counselor: Any, text: str) -> Any:
    from confide.matching.models import CareRelationship
    from confide.messaging.models import Conversation, Message

    care = CareRelationship.objects.create(client=client, counselor=counselor)
    conversation = Conversation.objects.create(care=care, client=client, counselor=counselor)
    return Message.objects.create(conversation=conversation, sender=client, body=text)


def _rotate_daily(start: datetime, days: int) -> None:
    for day in range(days):
        with time_machine.travel(start + timedelta(days=day), tick=False):
            rotate()


@pytest.mark.promise("KEEP-2")
@pytest.mark.django_db(transaction=True)
def test_a_backup_forgets_an_erased_client_once_the_delay_has_passed(
    key_store: Path, tmp_path: Path
) -> None:
    from confide.messaging.models import Message
    from confide.privacy.erasure import erase_account

    delay = current_preset().backup_shred_delay.days
    with time_machine.travel(T0, tick=False):
        counselor = make_user("counselor", passkey=True)
        erased = make_user("client", email="erased@example.test")
        stays = make_user("client", email="stays@example.test")
        gone = _message(erased, counselor, "backup-canary-erased")
        kept = _message(stays, counselor, "backup-canary-kept")
        backup_file, backup = _backup(tmp_path)
        rotate()
    # The backup holds no key-encryption key: the key store is apart from the data.
    dumped = backup_file.read_bytes()
    for kek in keyring().keks():  # type: ignore[attr-defined]
        assert kek.key not in dumped and base64.b64encode(kek.key) not in dumped
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        erase_account(erased)
    # Within the delay, the backup restores (an operator can recover from it).
    _rotate_daily(T0 + timedelta(days=1), delay - 8)
    assert _read_from_backup(backup, gone.pk) == "backup-canary-erased"
    # Once the delay has passed since the backup (so since the erasure too), it cannot.
    _rotate_daily(T0 + timedelta(days=delay - 7), 8)
    with pytest.raises(KekDestroyed):
        _read_from_backup(backup, gone.pk)
    # Rotation loses nothing live: the other client's message still reads.
    reset_keyring()
    assert Message.objects.get(pk=kept.pk).body == "backup-canary-kept"
    assert len(keyring().keks()) <= delay // 7 + 1  # type: ignore[attr-defined]


def test_rotation_adds_a_kek_when_due_and_rewraps_every_data_key(db: Any, key_store: Path) -> None:
    from confide.privacy import crypto
    from confide.privacy.models import DataKey

    with time_machine.travel(T0, tick=False):
        blob = crypto.encrypt(b"kept", subject_id=5, scope="t", aad=b"a")
        first = keyring().current_id()
        assert rotate().added == ""  # not due yet
    with time_machine.travel(T0 + timedelta(days=7), tick=False):
        report = rotate()
    assert report.added and report.added != first and report.rewrapped == 1
    assert set(DataKey.objects.values_list("kek_id", flat=True)) == {report.added}
    reset_keyring()  # another process reads the new key store from disk
    assert crypto.decrypt(blob, aad=b"a") == b"kept"


def test_a_kek_still_wrapping_a_live_key_is_never_destroyed(
    db: Any, key_store: Path, monkeypatch: Any
) -> None:
    from confide.privacy import crypto, rotation

    with time_machine.travel(T0, tick=False):
        blob = crypto.encrypt(b"kept", subject_id=6, scope="t", aad=b"a")
    monkeypatch.setattr(rotation, "rewrap_all", lambda: 0)  # a re-wrap that failed
    _rotate_daily(T0 + timedelta(days=1), current_preset().backup_shred_delay.days + 5)
    reset_keyring()
    assert crypto.decrypt(blob, aad=b"a") == b"kept"
