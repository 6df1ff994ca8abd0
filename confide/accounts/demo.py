"""Demo accounts, one per role (embedded default only; seed_demo refuses production)."""

from __future__ import annotations

from typing import Any

from confide.core.demo_accounts import DEMO_ACCOUNTS

_NAMES = {
    "client": ("", "", "Demo client"),
    "counselor": ("Carmen", "Demo", ""),
    "team_leader": ("Tea", "Demo", ""),
    "staff": ("Sam", "Demo", ""),
    "admin": ("Alex", "Demo", ""),
}


def seed(stdout: Any = None) -> list[Any]:
    """Create (or leave as they are) the demo accounts; safe to run again."""
    from allauth.account.models import EmailAddress

    from confide.accounts.models import User
    from confide.presets import current_preset

    preset = current_preset()
    users, created = [], 0
    for role, email, password in DEMO_ACCOUNTS:
        first, last, nickname = _NAMES[role]
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=password,
                role=role,
                first_name=first,
                last_name=last,
                nickname=nickname,
                language=preset.default_language,
                timezone=preset.default_timezone,
                is_staff=role in {"staff", "admin"},
                is_superuser=role == "admin",
            )
            created += 1
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        users.append(user)
    if stdout is not None:  # the accounts themselves are listed once, by `manage.py serve`
        stdout.write(f"accounts: {created} demo accounts created, {len(users) - created} kept")
    return users
