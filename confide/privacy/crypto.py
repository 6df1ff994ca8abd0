"""Encrypt and decrypt values under a subject's data key (AES-256-GCM).

Wire format: ``b"c1" | key id (16 bytes) | nonce (12 bytes) | ciphertext+tag``. The associated
data names the row and the field, so a value copied into another row or field fails to decrypt.
"""

from __future__ import annotations

import os
import time
import uuid

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.db import IntegrityError, transaction

from confide.privacy.keys import KeyShredded, _cache, keyring
from confide.privacy.models import DataKey, ShredRecord

VERSION = b"c1"
_HEADER = len(VERSION) + 16 + 12


class TamperedValue(Exception):
    """The ciphertext does not belong to this row and field, or was altered."""


#: (subject, scope) -> (key id, expiry): skips the key lookup query on repeated writes. Shredding
#: evicts here at once; other processes within the key cache's TTL (writes made there in that
#: window are sealed under the destroyed key, i.e. erased as well).
_current_ids: dict[tuple[int, str], tuple[uuid.UUID, float]] = {}


def forget_cached_keys() -> None:
    """Drop every in-process key cache (tests: tables are flushed between tests behind it)."""
    _current_ids.clear()
    _cache.clear()


def _current_key(subject_id: int, scope: str) -> tuple[uuid.UUID, bytes]:
    known = _current_ids.get((subject_id, scope))
    if known is not None and known[1] > time.monotonic():
        key = _cache.get(known[0])
        if key is not None:
            return known[0], key
    key_id, key = _lookup_key(subject_id, scope)
    # Only once committed: a key row rolled back must never be reused for new data.
    entry = (key_id, time.monotonic() + _cache.TTL)
    transaction.on_commit(lambda: _current_ids.__setitem__((subject_id, scope), entry))
    return key_id, key


def _lookup_key(subject_id: int, scope: str) -> tuple[uuid.UUID, bytes]:
    row = DataKey.objects.filter(subject_id=subject_id, scope=scope).first()
    if row is None:
        key = AESGCM.generate_key(bit_length=256)
        kek_id, wrapped = keyring().wrap(key)
        try:
            with transaction.atomic():
                row = DataKey.objects.create(
                    subject_id=subject_id, scope=scope, kek_id=kek_id, wrapped=wrapped
                )
        except IntegrityError:  # another request made it first: use theirs
            row = DataKey.objects.get(subject_id=subject_id, scope=scope)
        else:
            _cache.put(row.id, key)
            return row.id, key
    return row.id, _unwrap(row)


def _unwrap(row: DataKey) -> bytes:
    cached = _cache.get(row.id)
    if cached is not None:
        return cached
    key = keyring().unwrap(row.kek_id, bytes(row.wrapped))
    _cache.put(row.id, key)
    return key


def _key_by_id(key_id: uuid.UUID) -> bytes:
    cached = _cache.get(key_id)
    if cached is not None:
        return cached
    row = DataKey.objects.filter(pk=key_id).first()
    if row is None:
        raise KeyShredded(str(key_id))
    return _unwrap(row)


def encrypt(plaintext: bytes, *, subject_id: int, scope: str, aad: bytes) -> bytes:
    key_id, key = _current_key(subject_id, scope)
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, plaintext, aad + key_id.bytes)
    return VERSION + key_id.bytes + nonce + sealed


def decrypt(blob: bytes, *, aad: bytes) -> bytes:
    if blob[:2] != VERSION or len(blob) < _HEADER + 16:
        raise TamperedValue("not a Confide ciphertext")
    key_id = uuid.UUID(bytes=blob[2:18])
    key = _key_by_id(key_id)
    try:
        return AESGCM(key).decrypt(blob[18:30], blob[30:], aad + key_id.bytes)
    except InvalidTag as exc:
        raise TamperedValue("ciphertext does not match its row and field") from exc


def key_id_of(blob: bytes) -> uuid.UUID:
    return uuid.UUID(bytes=bytes(blob[2:18]))


def shred(
    subject_id: int,
    scopes: list[str] | None = None,
    *,
    keep: tuple[str, ...] = DataKey.HELD_SCOPES,
) -> list[str]:
    """Destroy the subject's data keys (all scopes but ``keep``, or just ``scopes``).
    Returns the scopes shredded. Constant time in the amount of data: one delete."""
    rows = DataKey.objects.filter(subject_id=subject_id).exclude(scope__in=keep)
    if scopes is not None:
        rows = rows.filter(scope__in=scopes)
    with transaction.atomic():  # select and delete together: a key made meanwhile is not missed
        found = list(rows.select_for_update().values_list("id", "scope"))
        ShredRecord.objects.bulk_create(
            [
                ShredRecord(subject_id=subject_id, scope=scope, key_id=key_id)
                for key_id, scope in found
            ]
        )
        DataKey.objects.filter(pk__in=[key_id for key_id, _ in found]).delete()
    _cache.evict([key_id for key_id, _ in found])
    for scope in [scope for _, scope in found]:
        _current_ids.pop((subject_id, scope), None)
    return [scope for _, scope in found]


def rewrap_all() -> int:
    """Re-wrap every data key under the current KEK (key rotation); data is untouched."""
    ring = keyring()
    current = ring.current_id()
    count = 0
    for row in DataKey.objects.exclude(kek_id=current).iterator():
        key = ring.unwrap(row.kek_id, bytes(row.wrapped))
        kek_id, wrapped = ring.wrap(key)
        # Conditional update: a key shredded or re-wrapped meanwhile is left alone (no re-insert).
        count += DataKey.objects.filter(pk=row.pk, kek_id=row.kek_id).update(
            kek_id=kek_id, wrapped=wrapped
        )
    return count
