"""Demo goals and journal entries (embedded default only): each demo client in active care gets,
when they have none yet, two goals from their counselor (one started) and two journal entries,
one shared. Safe to run again."""

from __future__ import annotations

from typing import Any

from django.utils import timezone


def seed(stdout: Any) -> None:
    from confide.care import services
    from confide.care.models import Goal
    from confide.matching.models import CareRelationship

    cares = CareRelationship.objects.filter(
        ended_at__isnull=True, client__email__endswith="@demo.confide.localhost"
    ).select_related("client", "counselor")
    seeded = 0
    for care in cares:
        if Goal.objects.filter(client=care.client).exists():
            continue
        # Seeded as rows: a demo counselor may have no passkey yet, which the access policy
        # (rightly) requires before they can set goals through the service.
        now = timezone.now()
        Goal.objects.create(
            client=care.client,
            counselor=care.counselor,
            title="Take a short walk every morning",
            why="Moving early helps you feel steadier for the day.",
            steps="Put your shoes by the door.\nWalk ten minutes before breakfast.",
            state=Goal.State.STARTED,
            assigned_at=now,
            started_at=now,
        )
        Goal.objects.create(
            client=care.client,
            counselor=care.counselor,
            title="Write three lines each evening",
            why="To notice what went well.",
            assigned_at=now,
        )
        shared = services.write_entry(
            care.client,
            services.EntryDraft(
                "Walked to the park today. **Felt calmer** afterwards.", True, "good", ("walk",)
            ),
        )
        services.share_entry(care.client, shared.pk)
        services.write_entry(
            care.client, services.EntryDraft("A hard day at work. Slept badly.", False, "low")
        )
        seeded += 1
    stdout.write(f"care: {seeded} demo clients given goals and journal entries")
