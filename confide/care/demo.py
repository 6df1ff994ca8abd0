"""Demo goals and journal entries (embedded default only): each demo client in active care gets,
when they have none yet, two goals from their counselor (one started) and two journal entries,
one shared. Safe to run again."""

from __future__ import annotations

from typing import Any


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
        try:
            walk = services.assign_goal(
                care.counselor,
                care.client_id,
                services.GoalDraft(
                    "Take a short walk every morning",
                    "Moving early helps you feel steadier for the day.",
                    "Put your shoes by the door.\nWalk ten minutes before breakfast.",
                ),
            )
            services.assign_goal(
                care.counselor,
                care.client_id,
                services.GoalDraft("Write three lines each evening", "To notice what went well."),
            )
        except Exception as exc:  # e.g. a demo counselor without a passkey
            stdout.write(f"care: skipped one client ({type(exc).__name__})")
            continue
        services.change_goal(care.client, walk.pk, "start")
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
