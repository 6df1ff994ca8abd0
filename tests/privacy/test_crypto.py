from __future__ import annotations

import base64
import io
import os
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from confide.privacy import crypto
from confide.privacy.fields import Ciphertext
from confide.privacy.keys import KeyShredded, LocalKeyring, reset_keyring
from confide.privacy.models import DataKey, ShredRecord
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_round_trip_and_ciphertext_is_not_plaintext() -> None:
    blob = crypto.encrypt(b"secret words", subject_id=7, scope="t", aad=b"m.f:1")
    assert b"secret" not in blob
    assert crypto.decrypt(blob, aad=b"m.f:1") == b"secret words"


@pytest.mark.promise("KEEP-3")
def test_swapped_ciphertext_between_rows_fails() -> None:
    first = crypto.encrypt(b"one", subject_id=7, scope="t", aad=b"app.model.body:row-1")
    crypto.encrypt(b"two", subject_id=7, scope="t", aad=b"app.model.body:row-2")
    with pytest.raises(crypto.TamperedValue):
        crypto.decrypt(first, aad=b"app.model.body:row-2")  # row 1's value pasted into row 2
    with pytest.raises(crypto.TamperedValue):
        crypto.decrypt(first, aad=b"app.model.other:row-1")  # into another field
    flipped = first[:-1] + bytes([first[-1] ^ 1])
    with pytest.raises(crypto.TamperedValue):
        crypto.decrypt(flipped, aad=b"app.model.body:row-1")


@pytest.mark.promise("KEEP-3")
def test_swapped_message_rows_fail_to_decrypt(care: Any) -> None:
    from confide.messaging.models import Conversation, Message

    conversation = Conversation.objects.create(
        care=care, client=care.client, counselor=care.counselor
    )
    one = Message.objects.create(conversation=conversation, sender=care.client, body="first")
    two = Message.objects.create(conversation=conversation, sender=care.client, body="second")
    raw = {pk: b for pk, b in Message.objects.values_list("pk", "body")}
    Message.objects.filter(pk=two.pk).update(body=Ciphertext(raw[one.pk]))
    with pytest.raises(crypto.TamperedValue):
        _ = Message.objects.get(pk=two.pk).body


@pytest.mark.promise("KEEP-2")
@pytest.mark.promise("RIGHTS-3")
def test_dump_taken_before_erasure_cannot_be_decrypted_afterwards(care: Any) -> None:
    from confide.messaging.models import Conversation, Message
    from confide.privacy.services import erase_account

    client = care.client
    conversation = Conversation.objects.create(care=care, client=client, counselor=care.counselor)
    message = Message.objects.create(conversation=conversation, sender=client, body="my secret")
    with connection.cursor() as cursor:  # the "backup": raw rows, keys included
        cursor.execute("SELECT id, body FROM messaging_message")
        dump = [(row[0], bytes(row[1])) for row in cursor.fetchall()]
    erase_account(client)
    reset_keyring()  # a fresh process: nothing cached
    field = Message._meta.get_field("body")
    for _pk, blob in dump:
        with pytest.raises(KeyShredded):
            crypto.decrypt(blob, aad=field.aad(Message(pk=message.pk)))  # type: ignore[attr-defined]
        assert b"my secret" not in blob
    assert ShredRecord.objects.filter(subject_id=client.pk).exists()


def test_clinical_hold_key_survives_shredding() -> None:
    crypto.encrypt(b"x", subject_id=9, scope="messaging", aad=b"a")
    held = crypto.encrypt(b"note", subject_id=9, scope=DataKey.CLINICAL_HOLD, aad=b"b")
    assert set(crypto.shred(9)) == {"messaging"}
    reset_keyring()
    assert crypto.decrypt(held, aad=b"b") == b"note"


@pytest.mark.promise("KEEP-3")
def test_rotate_keys_rewraps_without_touching_data(settings: Any) -> None:
    old = base64.b64encode(os.urandom(32)).decode()
    new = base64.b64encode(os.urandom(32)).decode()
    settings.KEK = f"old:{old}"
    reset_keyring()
    blob = crypto.encrypt(b"kept", subject_id=3, scope="t", aad=b"a")
    settings.KEK = f"new:{new},old:{old}"
    reset_keyring()
    call_command("rotate_keys", stdout=io.StringIO())
    assert set(DataKey.objects.values_list("kek_id", flat=True)) == {"new"}
    settings.KEK = f"new:{new}"  # the old KEK can now be retired
    reset_keyring()
    assert crypto.decrypt(blob, aad=b"a") == b"kept"
    assert LocalKeyring(f"new:{new}").current_id() == "new"
    settings.KEK = None
    reset_keyring()


def test_encrypted_fields_decrypt_lazily(care: Any, monkeypatch: Any) -> None:
    from confide.messaging.models import Conversation, Message

    conversation = Conversation.objects.create(
        care=care, client=care.client, counselor=care.counselor
    )
    Message.objects.create(conversation=conversation, sender=care.client, body="lazy")
    calls = []
    real = crypto.decrypt
    monkeypatch.setattr(crypto, "decrypt", lambda *a, **k: calls.append(1) or real(*a, **k))
    rows = list(Message.objects.all())
    assert [m.created_at for m in rows] and calls == []
    assert rows[0].body == "lazy" and calls == [1]


def test_concurrent_key_creation_reuses_the_winner() -> None:
    user = make_user("client")
    crypto.encrypt(b"a", subject_id=user.pk, scope="s", aad=b"x")
    crypto.encrypt(b"b", subject_id=user.pk, scope="s", aad=b"y")
    assert DataKey.objects.filter(subject_id=user.pk, scope="s").count() == 1


def test_the_key_store_is_made_once_even_when_raced(tmp_path: Any) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from confide.privacy.keystore import FileKeyring

    target = tmp_path / "keystore" / "keks.json"
    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(lambda _: FileKeyring(target).current_id(), range(16)))
    assert len(set(ids)) == 1
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    assert [p.name for p in target.parent.iterdir()] == ["keks.json"]
