"""Demo credentials, public by design and refused in production (see seed_demo)."""

from __future__ import annotations

from typing import Any

DEMO_PASSWORD = "demo-Confide-2026"  # noqa: S105 - public demo credential, embedded only

#: (role, email, password) — one per role; created by confide.accounts.demo.
DEMO_ACCOUNTS = [
    ("client", "client@demo.confide.localhost", DEMO_PASSWORD),
    ("counselor", "counselor@demo.confide.localhost", DEMO_PASSWORD),
    ("team_leader", "leader@demo.confide.localhost", DEMO_PASSWORD),
    ("staff", "staff@demo.confide.localhost", DEMO_PASSWORD),
    ("admin", "admin@demo.confide.localhost", DEMO_PASSWORD),
]


def demo_email(role: str) -> str:
    return next(email for each, email, _password in DEMO_ACCOUNTS if each == role)


def demo_user(role: str) -> Any | None:
    """The demo account of ``role``, if ``seed_demo`` created it."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(email=demo_email(role)).first()
