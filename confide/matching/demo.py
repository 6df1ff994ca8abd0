"""Demo care (embedded default only): the demo client is matched with the demo counselor
through the real matching rules, so the access policy lets both into their demo video session
and chat. Run again, it restores that pairing if the client has moved on."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from confide.core.demo_accounts import demo_user


def seed(stdout: Any) -> None:
    from confide.matching import services

    client, counselor = demo_user("client"), demo_user("counselor")
    if client is None or counselor is None:
        return
    if services.current_counselor_id(client) == counselor.pk:
        return
    try:
        services.choose(client, counselor.pk)
    except (ValidationError, services.MatchingRestricted):
        # e.g. a preset whose country the demo counselor is not licensed in
        stdout.write("matching: the demo counselor cannot take the demo client here; not paired")
        return
    stdout.write(f"matching: {client.email} is in care with {counselor.email}")
