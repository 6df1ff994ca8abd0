"""The client's IP address: the one place Confide reads it (rate limits, sign-in records,
consent records, allauth's sessions all come through here).

``X-Forwarded-For`` is written by whoever sends the request, so it is believed only from a peer
listed in ``TRUSTED_PROXIES`` (none by default). Behind trusted proxies the header is read from
the right: each proxy appends the address it saw, so the first address that is not one of our
proxies is the client; anything to its left was supplied by the client and is ignored.

The other forwarded headers (``X-Forwarded-Proto``, which ``SECURE_PROXY_SSL_HEADER`` reads to
decide whether the request came over HTTPS, and ``X-Forwarded-Host``) are removed from any request
whose peer is not a trusted proxy, before anything reads them: a client talking to the app
directly cannot make a plain-HTTP request pass for a secure one.
"""

from __future__ import annotations

import ipaddress
from functools import cache

from django.conf import settings
from django.http import HttpRequest

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network
_Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@cache
def _networks(configured: tuple[str, ...]) -> tuple[_Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in configured)


def _address(value: str) -> _Address | None:
    try:
        return ipaddress.ip_address(value.strip().removeprefix("[").split("]")[0])
    except ValueError:
        return None


def is_trusted_proxy(address: _Address | None) -> bool:
    if address is None:
        return False
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    return any(address in network for network in networks)


def client_ip(request: HttpRequest | None) -> str | None:
    """The address of the person's browser, as far as we can know it; None without one."""
    if request is None:
        return None
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    if not is_trusted_proxy(peer):
        return str(peer) if peer is not None else None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([part for part in forwarded.split(",") if part.strip()]):
        address = _address(hop)
        if address is None:
            break  # a malformed hop: nothing further left can be trusted
        peer = address
        if not is_trusted_proxy(address):
            break
    return str(peer)


#: Headers only a proxy of ours may set (in ``request.META`` form).
FORWARDED_HEADERS = ("HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT")


def drop_untrusted_forwarded_headers(request: HttpRequest) -> None:
    """Forget what an untrusted peer claims about the scheme, host and port it used."""
    if is_trusted_proxy(_address(request.META.get("REMOTE_ADDR", ""))):
        return
    for header in FORWARDED_HEADERS:
        request.META.pop(header, None)
