"""``STORAGE_URL`` → a Django storage. ``file:///path`` for a folder, ``s3://bucket?endpoint=…``
for S3-compatible object storage (needs django-storages[s3] installed in that deployment)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from confide.env import ConfigError


def storage_from_url(url: str) -> dict[str, object]:
    parsed = urlparse(url)
    if parsed.scheme == "file":
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": parsed.path},
        }
    if parsed.scheme == "s3":
        query = {key: values[0] for key, values in parse_qs(parsed.query).items()}
        options: dict[str, object] = {"bucket_name": parsed.hostname, "default_acl": "private"}
        if "endpoint" in query:
            options["endpoint_url"] = query["endpoint"]
        if "region" in query:
            options["region_name"] = query["region"]
        return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
    raise ConfigError(f"STORAGE_URL must start with file:// or s3://, not {parsed.scheme}://")
