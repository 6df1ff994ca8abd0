"""Everyone personal data may leave the service to (SHARE-1, SHARE-2): one declared list.

It is computed from the settings of this deployment, so it names exactly the services these
processes (``side="server"``) or the visitor's browser (``side="browser"``) are configured to talk
to, and which kinds of data (inventory categories) each may receive. The embedded default talks to
nobody: mail and texts go to the outbox, files and keys stay on disk, the database is a file.
Apps that add a recipient register a source with ``registry.register_recipients`` (consent does,
for the analytics and advertising integrations). ``privacy_manifest`` prints the list, and
tests/privacy/test_recipients.py intercepts every outbound channel during a whole user journey and
fails on any destination or any kind of data not declared here.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlparse

from django.conf import settings
from django.utils.module_loading import import_string

from confide.privacy import registry
from confide.privacy.inventory import CATEGORIES

#: What each kind of recipient is, as the privacy policy names it ("recipients" claim).
KINDS = (
    "hosting",
    "email",
    "sms",
    "video_relay",
    "sign_in",
    "payments",
    "embedded_video",
    "analytics",
    "advertising",
)

#: Hosts of the sign-in providers allauth talks to (authorize, token and profile endpoints).
SIGN_IN_HOSTS = {
    "google": ("accounts.google.com", "oauth2.googleapis.com", "www.googleapis.com"),
    "facebook": ("www.facebook.com", "graph.facebook.com"),
}


@dataclass(frozen=True)
class Recipient:
    key: str
    kind: str  # one of KINDS
    hosts: frozenset[str]
    #: Inventory categories it may receive; anything else reaching it is a leak.
    categories: frozenset[str]
    side: str = "server"  # "server": our processes connect to it; "browser": the visitor's does
    #: The cookie category the visitor must have switched on ("" when none is needed).
    consent: str = ""

    def __post_init__(self) -> None:
        assert self.kind in KINDS and self.side in {"server", "browser"}
        assert self.categories <= set(CATEGORIES), self.categories - set(CATEGORIES)


def _host(url: str | None) -> set[str]:
    host = urlparse(url or "").hostname
    return {host} if host and not is_local(host) else set()


def is_local(host: str) -> bool:
    """This machine: the service talking to itself is not a recipient."""
    if host in {"localhost", ""} or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _backend_hosts(path: str | None) -> set[str]:
    """A pluggable backend (SMS gateway, KMS) names the hosts it talks to in ``recipient_hosts``
    (none set: the built-in one, which talks to nobody)."""
    if not path:
        return set()
    return set(getattr(import_string(path), "recipient_hosts", ()))


def _hosting() -> set[str]:
    hosts = {str(db.get("HOST")) for db in settings.DATABASES.values() if db.get("HOST")}
    hosts |= _host(settings.REDIS_URL) | _host(getattr(settings, "CELERY_BROKER_URL", ""))
    storage = settings.STORAGES["default"].get("OPTIONS", {})
    assert isinstance(storage, dict)
    if storage.get("endpoint_url"):
        hosts |= _host(str(storage["endpoint_url"]))
    elif storage.get("bucket_name"):
        hosts.add(f"{storage['bucket_name']}.s3.amazonaws.com")
    hosts |= _backend_hosts(settings.KMS_BACKEND)
    return {h for h in hosts if not is_local(h)}


def _core_recipients() -> list[Recipient]:
    everything = frozenset(CATEGORIES)  # hosting stores it all (sensitive fields sealed)
    found = [Recipient("hosting", "hosting", frozenset(_hosting()), everything)]
    if settings.EMAIL_BACKEND.endswith("smtp.EmailBackend"):
        found.append(
            Recipient(
                "mail",
                "email",
                frozenset() if is_local(settings.EMAIL_HOST) else frozenset({settings.EMAIL_HOST}),
                frozenset({"identity", "contact", "credentials", "preferences"}),
            )
        )
    found.append(
        Recipient(
            "sms",
            "sms",
            frozenset(_backend_hosts(settings.SMS_BACKEND)),
            frozenset({"contact", "credentials"}),
        )
    )
    relay = {h for url in [*settings.TURN_URLS, *settings.STUN_URLS] for h in _turn_host(url)}
    found.append(
        Recipient("turn", "video_relay", frozenset(relay), frozenset({"network"}), "browser")
    )
    for provider in sorted(getattr(settings, "SOCIALACCOUNT_PROVIDERS", {})):
        hosts = frozenset(SIGN_IN_HOSTS.get(provider, ()))
        for side in ("server", "browser"):
            found.append(
                Recipient(provider, "sign_in", hosts, frozenset({"network", "contact"}), side)
            )
    return [r for r in found if r.hosts]


def _turn_host(url: str) -> set[str]:
    """``turn:host:3478?transport=udp`` and ``stun:host`` have no ``//``: the host follows."""
    rest = url.partition(":")[2].lstrip("/").split("?")[0]
    host = rest[1:].partition("]")[0] if rest.startswith("[") else rest.partition(":")[0]
    return set() if not host or is_local(host) else {host}


def declared_recipients() -> list[Recipient]:
    """Every recipient this deployment may send personal data to, as configured right now."""
    found = _core_recipients()
    for source in registry.recipient_sources():
        found.extend(source())
    return found


def recipients_for(
    host: str, side: str, recipients: Iterable[Recipient] | None = None
) -> list[Recipient]:
    """The declared recipients reachable at ``host`` from ``side``."""
    listed = declared_recipients() if recipients is None else recipients
    return [r for r in listed if r.side == side and host in r.hosts]
