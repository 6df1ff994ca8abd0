"""The key store: key-encryption keys (KEKs) kept apart from the data, with their ages (KEEP-2).

The database holds only *wrapped* data keys. The KEKs that unwrap them live here, in a file of
their own (``KEYSTORE_FILE``; embedded: ``var/keystore/keks.json``, never inside the database or
its backups). Rotation (``confide.privacy.rotation``) adds a KEK on a schedule, re-wraps every live
data key under it, and destroys each KEK once it is ``backup_shred_delay`` old. A database backup
therefore holds data keys wrapped by KEKs that stop existing within that delay: a subject shredded
after the backup can no longer be read from it once the delay has passed.

The file is written whole to a temporary file, flushed to disk and renamed over the old one, so a
crash (kill -9) leaves either the old or the new key store, never half of one. Every process
re-reads it when it changes on disk, so a server and a worker agree on the current KEK.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives.keywrap import aes_key_unwrap, aes_key_wrap
from django.utils import timezone

from confide.env import ConfigError

FORMAT = 1


@dataclass(frozen=True)
class Kek:
    id: str
    key: bytes
    created: datetime


def _load(path: Path) -> list[Kek]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        keks = [
            Kek(item["id"], base64.b64decode(item["key"]), datetime.fromisoformat(item["created"]))
            for item in data["keks"]
        ]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"the key store {path} cannot be read: {exc}") from exc
    if any(len(k.key) != 32 for k in keks):
        raise ConfigError(f"the key store {path} holds a KEK that is not 256 bits")
    return keks


def _write(path: Path, keks: list[Kek]) -> None:
    """Atomic replace: a reader or a crash sees the old file or the new one, whole."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    data = {
        "format": FORMAT,
        "keks": [
            {"id": k.id, "key": base64.b64encode(k.key).decode(), "created": k.created.isoformat()}
            for k in keks
        ],
    }
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # the rename itself survives a power cut
    finally:
        os.close(directory)


def new_kek(now: datetime | None = None) -> Kek:
    moment = now or timezone.now()
    return Kek(f"k{moment:%Y%m%d%H%M%S}-{uuid.uuid4().hex[:8]}", os.urandom(32), moment)


def _legacy(path: Path) -> list[Kek]:
    """The embedded KEK file of earlier versions (``id:base64`` per line), imported once."""
    legacy = path.parent.parent / "kek.txt"
    if not legacy.exists():
        return []
    created = datetime.fromtimestamp(legacy.stat().st_mtime, tz=timezone.get_default_timezone())
    keks = []
    for line in legacy.read_text(encoding="utf-8").split(","):
        kek_id, _, encoded = line.strip().partition(":")
        if kek_id:
            keks.append(Kek(kek_id, base64.b64decode(encoded), created))
    return keks


class FileKeyring:
    """KEKs from the key store file; the newest wraps new data keys, the others unwrap."""

    def __init__(self, path: Path | str | None = None) -> None:
        from django.conf import settings

        self.path = Path(path or settings.KEYSTORE_FILE)
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._keks: list[Kek] = []
        with self._lock:
            if not self.path.exists():
                self._create()
            self._refresh()

    # --- reading -----------------------------------------------------------------------------
    def _create(self) -> None:
        """First use: a fresh KEK (or the legacy file's), written so that concurrent first
        starts (server and worker) end with one key store: the loser re-reads the winner's."""
        keks = _legacy(self.path) or [new_kek()]
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.{uuid.uuid4().hex}")
        _write(temporary, keks)
        try:
            os.link(temporary, self.path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()

    def _refresh(self) -> None:
        stat = self.path.stat()
        stamp = (stat.st_mtime_ns, stat.st_ino)
        if stamp != self._stamp:
            keks = _load(self.path)
            if not keks:
                raise ConfigError(f"the key store {self.path} holds no KEK")
            self._keks = sorted(keks, key=lambda k: k.created, reverse=True)
            self._stamp = stamp

    def keks(self) -> list[Kek]:
        with self._lock:
            self._refresh()
            return list(self._keks)

    def current(self) -> Kek:
        return self.keks()[0]

    def current_id(self) -> str:
        return self.current().id

    def wrap(self, data_key: bytes) -> tuple[str, bytes]:
        kek = self.current()
        return kek.id, aes_key_wrap(kek.key, data_key)

    def unwrap(self, kek_id: str, wrapped: bytes) -> bytes:
        for kek in self.keks():
            if kek.id == kek_id:
                return aes_key_unwrap(kek.key, wrapped)
        raise KekDestroyed(kek_id)

    # --- changing (rotation only) ------------------------------------------------------------
    def add(self, kek: Kek) -> None:
        with self._lock:
            self._refresh()
            _write(self.path, [kek, *self._keks])
            self._stamp = None
            self._refresh()

    def destroy(self, kek_ids: set[str]) -> None:
        with self._lock:
            self._refresh()
            kept = [k for k in self._keks if k.id not in kek_ids]
            if not kept:
                raise ConfigError("refusing to destroy every KEK of the key store")
            _write(self.path, kept)
            self._stamp = None
            self._refresh()


class KekDestroyed(ConfigError):
    """The KEK that wrapped this data key no longer exists: whatever it wrapped is unreadable
    (an expired backup, or a key store that was replaced)."""
