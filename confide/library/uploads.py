"""Uploads: the type is read from the file's first bytes, never from its name or the browser's
claim, and only the few types the library plays are let in. A stored file gets a random name
(the uploader's never reaches storage, a URL or a header) and goes through ``default_storage``:
the disk in the embedded default, S3 in production (STORAGES in confide/settings.py)."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _

MB = 1024 * 1024

#: Detected type -> (the kind of file it is, the stored extension).
TYPES: dict[str, tuple[str, str]] = {
    "application/pdf": ("pdf", ".pdf"),
    "audio/mpeg": ("audio", ".mp3"),
    "audio/mp4": ("audio", ".m4a"),
    "audio/ogg": ("audio", ".ogg"),
    "video/mp4": ("video", ".mp4"),
    "video/webm": ("video", ".webm"),
}

_AUDIO_BRANDS = {b"M4A ", b"M4B ", b"M4P "}


class UploadError(Exception):
    """A refused upload; ``message`` is translated."""

    def __init__(self, code: str, message: Any) -> None:
        super().__init__(code)
        self.code = code
        self.message = message


def max_bytes(kind: str) -> int:
    """The size limit for a kind of file (settings LIBRARY_MAX_PDF_MB, LIBRARY_MAX_MEDIA_MB)."""
    if kind == "pdf":
        return int(getattr(settings, "LIBRARY_MAX_PDF_MB", 20)) * MB
    return int(getattr(settings, "LIBRARY_MAX_MEDIA_MB", 50)) * MB


def detect(head: bytes) -> str | None:
    """The content type of a file from its first bytes, or None for anything we do not take."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "audio/mpeg"
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "audio/mp4" if head[8:12] in _AUDIO_BRANDS else "video/mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm"
    if head.startswith(b"OggS"):
        return "audio/ogg"
    return None


def check(upload: Any, kinds: set[str]) -> str:
    """The detected type of an upload that may be one of ``kinds`` (pdf, audio, video), else
    UploadError. Whatever the name or declared type, only the content counts."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    found = detect(head)
    if found is None or TYPES[found][0] not in kinds:
        raise UploadError(
            "type",
            _(
                "This file type is not accepted. Upload a PDF, an MP3 or M4A audio file, "
                "or an MP4 or WebM video."
            ),
        )
    limit = max_bytes(TYPES[found][0])
    if upload.size > limit:
        raise UploadError(
            "size",
            _("This file is too large. The limit is %(mb)d MB.") % {"mb": limit // MB},
        )
    return found


def store(upload: Any, content_type: str) -> str:
    """Save the upload under a fresh random name; returns the storage name."""
    name = f"library/{secrets.token_hex(16)}{TYPES[content_type][1]}"
    upload.seek(0)
    return str(default_storage.save(name, upload))


def remove(name: str) -> None:
    if name:
        default_storage.delete(name)
