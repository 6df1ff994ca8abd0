"""Envelope encryption: per-subject data keys wrapped by a key-encryption key (KEK).

A data key is 32 random bytes used with AES-256-GCM. It is stored only wrapped (RFC 3394 AES
key wrap) by the current KEK, together with the KEK's id, so KEKs can rotate by re-wrapping
(``manage.py rotate_keys``) without touching data. Destroying a data key's row is
crypto-shredding: every copy of the ciphertext, in backups too, becomes unreadable once the backups
holding the wrapped key expire (the preset's ``backup_shred_delay``).
"""

from __future__ import annotations

import base64
import os
import threading
import time
import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path
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


def _embedded_kek_text(path: Path) -> str:
    """The embedded default keeps its KEK in a file beside the database, made on first use."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = base64.b64encode(os.urandom(32)).decode()
        # Written whole to a private temporary file, then hard-linked into place: a concurrent
        # first start (server and worker) never reads a half-written file, and the loser of the
        # race simply uses the winner's key.
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(f"local-1:{key}\n")
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return path.read_text(encoding="utf-8")


class LocalKeyring:
    """KEKs from ``KEK`` (env or ``KEK_FILE``) or, embedded, from ``var/kek.txt``.
    The first KEK listed wraps new keys; the others are kept to unwrap old ones."""

    def __init__(self, text: str | None = None) -> None:
        if text is None:
            text = settings.KEK or _embedded_kek_text(Path(settings.KEK_FILE_EMBEDDED))
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
    ring: Keyring = import_string(settings.KMS_BACKEND)()
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
