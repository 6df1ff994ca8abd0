"""Every outbound channel of the server process, intercepted (SHARE-1).

Nothing reaches the network. ``getaddrinfo`` answers every outside name with an address of the
never-routed benchmarking range (RFC 2544) and remembers the name; ``connect`` (TCP) sends the
socket to a local sink that keeps every byte it is sent and answers like an HTTP server with
nothing to say (204); ``sendto`` (UDP) keeps the datagram and drops it. The service talking to
itself (loopback) is left alone. :func:`problems` then judges each destination against the
declared recipients (``confide.privacy.recipients``) and each canary against the kinds of data
that recipient may receive. A TLS payload is opaque to the sink: for a declared host only the
destination is judged, which is why the journey configures no real outside service.
"""

from __future__ import annotations

import contextlib
import errno
import ipaddress
import itertools
import socket
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_plus

import pytest

from confide.privacy.recipients import Recipient, is_local, recipients_for

_FAKE = ipaddress.ip_network("198.18.0.0/15")


@dataclass
class Sent:
    host: str
    port: int
    channel: str  # "tcp" | "udp"
    local_port: int = 0
    datagram: bytes = b""


@dataclass
class Sink:
    """A local TCP server that records what each connection sends, keyed by its client port."""

    received: dict[int, bytearray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.lock = threading.Lock()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, (_, peer) = self.server.accept()
            except OSError:
                return  # closed
            threading.Thread(target=self._read, args=(conn, peer), daemon=True).start()

    def _read(self, conn: socket.socket, peer: int) -> None:
        conn.settimeout(0.3)
        with conn:
            with contextlib.suppress(OSError):
                while chunk := conn.recv(65536):
                    with self.lock:
                        self.received.setdefault(peer, bytearray()).extend(chunk)
            with contextlib.suppress(OSError):
                conn.sendall(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")

    def payload(self, peer: int) -> bytes:
        with self.lock:
            return bytes(self.received.get(peer, b""))

    def close(self) -> None:
        self.server.close()


class OutboundGuard:
    def __init__(self) -> None:
        self.sink = Sink()
        self.sent: list[Sent] = []
        self.names: dict[str, str] = {}
        self._addresses = (str(a) for a in itertools.islice(_FAKE.hosts(), 1, None))

    # --- the interception --------------------------------------------------------------------
    def install(self, monkeypatch: Any) -> None:
        real_getaddrinfo, real_connect = socket.getaddrinfo, socket.socket.connect
        real_sendto = socket.socket.sendto
        guard = self

        def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
            name = host.decode() if isinstance(host, bytes) else host
            if name is None or is_local(name) or _is_ip(name):
                return real_getaddrinfo(host, port, *args, **kwargs)
            fake = next((a for a, n in guard.names.items() if n == name), None)
            if fake is None:
                fake = next(guard._addresses)
                guard.names[fake] = name
            number = int(port) if str(port).isdigit() else 0
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (fake, number))]

        def connect(sock: socket.socket, address: Any) -> None:
            if sock.family not in (socket.AF_INET, socket.AF_INET6) or is_local(str(address[0])):
                return real_connect(sock, address)
            sent = Sent(guard.names.get(str(address[0]), str(address[0])), int(address[1]), "tcp")
            guard.sent.append(sent)
            if sock.family == socket.AF_INET6:  # the sink listens on IPv4: refuse, recorded
                raise OSError(errno.ENETUNREACH, "outbound IPv6 refused by the test guard")
            try:
                real_connect(sock, ("127.0.0.1", guard.sink.port))
            finally:
                sent.local_port = sock.getsockname()[1]
            return None

        def connect_ex(sock: socket.socket, address: Any) -> int:
            try:
                connect(sock, address)
            except BlockingIOError as exc:
                return exc.errno
            except OSError as exc:
                return exc.errno or 1
            return 0

        def sendto(sock: socket.socket, data: bytes, *args: Any) -> int:
            address = args[-1]
            if isinstance(address, tuple) and not is_local(str(address[0])):
                host = guard.names.get(str(address[0]), str(address[0]))
                guard.sent.append(Sent(host, int(address[1]), "udp", datagram=bytes(data)))
                return len(data)
            return int(real_sendto(sock, data, *args))

        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
        monkeypatch.setattr(socket.socket, "connect", connect)
        monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
        monkeypatch.setattr(socket.socket, "sendto", sendto)

    # --- the judgement -----------------------------------------------------------------------
    def payload(self, sent: Sent) -> bytes:
        return sent.datagram or self.sink.payload(sent.local_port)

    def problems(self, canaries: dict[str, str], recipients: Iterable[Recipient]) -> list[str]:
        listed = list(recipients)
        found = []
        for sent in self.sent:
            text = readable(self.payload(sent).decode("utf-8", "replace"))
            found += judge(sent.host, "server", text, canaries, listed)
        return found


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True


def readable(text: str) -> str:
    """The text with percent- and form-encoding undone (nested), lower-cased."""
    views = [text]
    for _ in range(2):
        views.append(unquote_plus(views[-1]))
    return "\n".join(views).lower()


def judge(
    host: str, side: str, text: str, canaries: dict[str, str], recipients: list[Recipient]
) -> list[str]:
    """What is wrong with sending ``text`` to ``host``: an undeclared destination, or a canary
    (value -> inventory category) of a kind the recipient is not declared to receive."""
    declared = recipients_for(host, side, recipients)
    if not declared:
        leaked = [value for value in canaries if value.lower() in text]
        return [f"{side} contacted undeclared {host} (canaries: {leaked})"]
    allowed = set().union(*(r.categories for r in declared))
    return [
        f"{side} sent {category} data {value!r} to {host}, declared only for {sorted(allowed)}"
        for value, category in canaries.items()
        if value.lower() in text and category not in allowed
    ]


@contextlib.contextmanager
def guarded() -> Iterator[OutboundGuard]:
    """Intercept every outbound channel of this process until the block ends."""
    guard = OutboundGuard()
    with pytest.MonkeyPatch.context() as patch:
        guard.install(patch)
        try:
            yield guard
        finally:
            guard.sink.close()
