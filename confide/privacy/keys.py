"""Envelope encryption: per-subject data keys wrapped by a key-encryption key (KEK).

A data key is 32 random bytes used with AES-256-GCM. It is stored only wrapped (RFC 3394 AES
key wrap) by the current KEK, together with the KEK's id, so KEKs can rotate by re-wrapping
without touching data. Destroying a data key's row is crypto-shredding. Copies of the wrapped key
in database backups become unreadable when the KEK that wrapped them is destroyed: the key store
(``keystore.py``) and its rotation (``rotation.py``) destroy every KEK ``backup_shred_delay`` after
it was made (KEEP-2).
"""

from __future__ import annotations

import base64
import threading
import time
import uuid
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from cryptography.hazmat.primitives.keywrap import aes_key_unwrap, aes_key_wrap
from django.conf import settings
from django.utils.module_loading import import_string

from confide.env import ConfigError


class KeyShredded(Exception):
    """The data key was destroyed: the value is gone for good."""


class Keyring(Protocol):
    """A KEK provider. Production plugs in a KMS (``KMS_BACKEND``) with the same two calls."""

    def current_id(self) -> str: ...

    def wrap(self, data_key: bytes) -> tuple[str, bytes]: ...

    def unwrap(self, kek_id: str, wrapped: bytes) -> bytes: ...


def _parse_keks(text: str) -> dict[str, bytes]:
    keks: dict[str, bytes] = {}
    for item in text.split(","):
        item = item.strip()
        if not item:
            continue
        kek_id, _, encoded = item.partition(":")
        try:
            key = base64.b64decode(encoded, validate=True)
        except ValueError as exc:
            raise ConfigError(f"KEK {kek_id!r} is not valid base64") from exc
        if len(key) != 32:
            raise ConfigError(f"KEK {kek_id!r} must be 32 bytes (256 bits), not {len(key)}")
        keks[kek_id] = key
    if not keks:
        raise ConfigError("KEK holds no key; expected 'id:base64key[,id:base64key…]'")
    return keks


class LocalKeyring:
    """Static KEKs from the ``KEK`` setting: the first listed wraps new keys, the others unwrap
    old ones. They never expire on their own: the operator rotates them (a new KEK first, then
    ``manage.py rotate_keys``, then the old one removed). The key store (``keystore.py``), the
    default, rotates and expires KEKs itself."""

    def __init__(self, text: str | None = None) -> None:
        text = text or settings.KEK
        if not text:
            raise ConfigError("LocalKeyring needs KEK ('id:base64key[,id:base64key…]')")
        self.keks = _parse_keks(text)
        self._current = next(iter(self.keks))

    def current_id(self) -> str:
        return self._current

    def wrap(self, data_key: bytes) -> tuple[str, bytes]:
        return self._current, aes_key_wrap(self.keks[self._current], data_key)

    def unwrap(self, kek_id: str, wrapped: bytes) -> bytes:
        try:
            kek = self.keks[kek_id]
        except KeyError:
            raise ConfigError(
                f"KEK {kek_id!r} is needed to unwrap a data key but is not configured"
            ) from None
        return aes_key_unwrap(kek, wrapped)


@cache
def keyring() -> Keyring:
    """``KMS_BACKEND`` if set; else static KEKs if ``KEK`` is set; else the key store file."""
    backend = settings.KMS_BACKEND or (
        "confide.privacy.keys.LocalKeyring"
        if settings.KEK
        else "confide.privacy.keystore.FileKeyring"
    )
    ring: Keyring = import_string(backend)()
    return ring


def reset_keyring() -> None:
    keyring.cache_clear()
    _cache.clear()
    from confide.privacy import crypto

    crypto._current_ids.clear()


@dataclass
class _Cached:
    key: bytes
    expires: float


class _KeyCache:
    """Unwrapped data keys, in process memory only, for a short time: unwrapping per value would
    cost a KMS round trip. Shredding evicts at once here; other processes within ``TTL``."""

    TTL = 60.0

    def __init__(self) -> None:
        self._keys: dict[uuid.UUID, _Cached] = {}
        self._lock = threading.Lock()

    def get(self, key_id: uuid.UUID) -> bytes | None:
        entry = self._keys.get(key_id)
        if entry is None or entry.expires < time.monotonic():
            return None
        return entry.key

    def put(self, key_id: uuid.UUID, key: bytes) -> None:
        with self._lock:
            self._keys[key_id] = _Cached(key, time.monotonic() + self.TTL)

    def evict(self, key_ids: list[uuid.UUID]) -> None:
        with self._lock:
            for key_id in key_ids:
                self._keys.pop(key_id, None)

    def clear(self) -> None:
        with self._lock:
            self._keys.clear()


_cache = _KeyCache()
