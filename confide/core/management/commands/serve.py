"""``make run``: the web/websocket server and the scheduler (and a Celery worker when a broker is
configured), all in the foreground. Ctrl-C or SIGTERM stops every one of them.

Contract: the children run in this process's process group, so a signal to the group (Ctrl-C in a
terminal, ``kill -TERM -PGID``) reaches them all; a signal to this process alone is forwarded. If
any child dies, the others are stopped too, and the exit status is non-zero. Nothing outlives us.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError

#: Seconds a child gets to finish after SIGTERM before it is killed.
GRACE_SECONDS = 10
#: Largest websocket frame the server reads, in bytes. The consumers' own limits (chat 16 KB,
#: signaling 64 KB) are checked after a frame is read; without this the server would read a
#: 16 MB frame (its default) into memory first.
WS_MAX_SIZE = 64 * 1024


def proxy_header_arguments() -> list[str]:
    """uvicorn rewrites the client address from X-Forwarded-For when the peer is trusted, and by
    default it trusts 127.0.0.1: any local program could then choose its own address. Only the
    configured proxies are trusted; with none, the headers are ignored altogether."""
    proxies = list(settings.TRUSTED_PROXIES)
    if not proxies:
        return ["--no-proxy-headers"]
    return ["--proxy-headers", "--forwarded-allow-ips", ",".join(proxies)]


def service_commands(host: str, port: int) -> dict[str, list[str]]:
    """The processes the current configuration needs, by name."""
    python = sys.executable
    manage = str(Path(settings.BASE_DIR) / "manage.py")
    commands = {
        "web": [
            python,
            "-m",
            "uvicorn",
            "confide.asgi:application",
            "--host",
            host,
            "--port",
            str(port),
            "--no-access-log",
            "--lifespan",
            "off",
            "--ws",
            "websockets-sansio",
            "--ws-max-size",
            str(WS_MAX_SIZE),
            *proxy_header_arguments(),
        ],
        "scheduler": [python, manage, "run_scheduler"],
    }
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        commands["worker"] = [
            python,
            "-m",
            "celery",
            "-A",
            "confide",
            "worker",
            "--loglevel",
            "INFO",
            "--concurrency",
            "2",
            "--without-gossip",
            "--without-mingle",
        ]
    return commands


class Command(BaseCommand):
    help = "Serve Confide with every service the configuration needs."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))

    def handle(self, *args: Any, **options: Any) -> None:
        processes: dict[str, subprocess.Popen[bytes]] = {}
        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True

        # Handlers first: a signal arriving while children start must still stop them all.
        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        cwd = str(settings.BASE_DIR)
        try:
            for name, command in service_commands(options["host"], options["port"]).items():
                if stopping:
                    break
                processes[name] = subprocess.Popen(command, cwd=cwd)
            if not stopping:
                self.banner(options["host"], options["port"], sorted(processes))
            while not stopping and all(p.poll() is None for p in processes.values()):
                time.sleep(0.2)
        finally:
            failed = self.shut_down(processes, graceful=stopping)
        if failed:
            sys.exit(1)

    def shut_down(self, processes: dict[str, subprocess.Popen[bytes]], *, graceful: bool) -> bool:
        """SIGTERM every live child, wait, then SIGKILL stragglers. True if a child had died."""
        died = [name for name, p in processes.items() if p.poll() is not None]
        if died and not graceful:
            self.stderr.write(f"{', '.join(died)} stopped unexpectedly; stopping the rest.")
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS
        for process in processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        return bool(died) and not graceful

    def banner(self, host: str, port: int, services: list[str]) -> None:
        lines = banner_lines(host, port, services)
        self.stdout.write(self.style.SUCCESS(f"\n{lines[0]}"))
        self.stdout.write("\n".join(lines[1:]) + "\n")
        self.stdout.flush()


# --- The banner ----------------------------------------------------------------------------------
#: Addresses that mean "this machine": shown as ``localhost``, because a WebAuthn relying party
#: (passkeys) must be a domain name, never an IP address.
_LOOPBACK = {"127.0.0.1", "localhost", "::1", "0.0.0.0", "::"}  # noqa: S104 - names, not binds
_ROLE_LABELS = {
    "client": "Client",
    "counselor": "Counselor",
    "team_leader": "Team leader",
    "staff": "Staff",
    "admin": "Admin",
}


def site_address(host: str, port: int) -> str:
    return f"http://{'localhost' if host in _LOOPBACK else host}:{port}/"


def banner_lines(host: str, port: int, services: list[str]) -> list[str]:
    """What ``serve`` prints once everything started: the address, the demo accounts (once, each
    with what it needs to sign in), where e-mails land, and each domain's demo notes."""
    address = site_address(host, port)
    lines = [f"Confide is running at {address}", f"Services: {', '.join(services)}"]
    if not settings.PRODUCTION:
        lines += _account_lines(address)
        lines += [f"E-mails (sign-in codes too) are written to {_outbox()}", *_demo_notes(address)]
    return [*lines, "Press Ctrl-C to stop."]


def _account_lines(address: str) -> list[str]:
    from confide.core.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
    from confide.presets import current_preset

    existing = _existing_accounts([email for _role, email, _password in DEMO_ACCOUNTS])
    if not existing:
        return ["No demo accounts yet: run `python manage.py seed_demo`."]
    passkey_roles = current_preset().passkey_required_roles
    lines = ["", f"Demo accounts (embedded default only), each with the password {DEMO_PASSWORD}:"]
    for role, email, _password in DEMO_ACCOUNTS:
        if email in existing:
            need = "password + e-mailed code"
            if role in passkey_roles:
                need += ", then enrol a passkey"
            lines.append(f"  {_ROLE_LABELS.get(role, role):<12} {email:<34} {need}")
    if passkey_roles & {role for role, email, _password in DEMO_ACCOUNTS if email in existing}:
        lines.append(f"Passkeys work only at {address} (a passkey cannot belong to an IP address).")
    return [*lines, ""]


def _outbox() -> str:
    outbox = Path(settings.OUTBOX_DIR)
    try:
        shown = f"{outbox.relative_to(settings.BASE_DIR)}/"
    except ValueError:
        shown = f"{outbox}/"
    return f"{shown} (staff also see them at /dev/outbox/)"


def _demo_notes(address: str) -> list[str]:
    from confide.core.management.commands.seed_demo import demo_modules

    notes: list[str] = []
    for module in demo_modules():
        banner = getattr(module, "banner", None)
        if banner is not None:
            # Database not migrated yet: say nothing rather than crash.
            with contextlib.suppress(DatabaseError):
                notes += banner(address)
    return notes


def _existing_accounts(emails: list[str]) -> set[str]:
    """Only accounts that really exist are announced (the banner must never lie)."""
    from django.contrib.auth import get_user_model

    try:
        found = get_user_model().objects.filter(email__in=emails).values_list("email", flat=True)
        return set(found)
    except Exception:  # database not migrated yet: announce nothing rather than crash
        return set()
