"""Demo worksheets (embedded default only): each demo client in active care gets, when they have
none yet, a thought record handed in and commented on, and a gratitude log to do this week.
Seeded as rows, like the care demo: a demo counselor may have no passkey yet. Safe to run again."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone


def seed(stdout: Any) -> None:
    from confide.matching.models import CareRelationship
    from confide.worksheets import catalog
    from confide.worksheets.models import Worksheet

    record, gratitude = catalog.current("thought_record"), catalog.current("gratitude_log")
    if record is None or gratitude is None:
        return
    cares = CareRelationship.objects.filter(
        ended_at__isnull=True, client__email__endswith="@demo.confide.localhost"
    ).select_related("client", "counselor")
    seeded = 0
    for care in cares:
        if Worksheet.objects.filter(client=care.client).exists():
            continue
        now = timezone.now()
        Worksheet.objects.create(
            client=care.client,
            counselor=care.counselor,
            template=record,
            answers={
                "situation": "My manager asked to see me at the end of the day.",
                "feeling": "worried",
                "feeling_before": 8,
                "thought": "I must have done something wrong.",
                "evidence_against": "Last time it was about planning the next project.",
                "balanced": "I do not know what it is about yet.",
                "feeling_after": 4,
            },
            comment="A good catch of a jump to conclusions. Let us look at it on Tuesday.",
            state=Worksheet.State.REVIEWED,
            submitted_at=now,
            reviewed_at=now,
        )
        Worksheet.objects.create(
            client=care.client,
            counselor=care.counselor,
            template=gratitude,
            note="Three small things each evening this week.",
            due_on=timezone.localdate() + timedelta(days=5),
        )
        seeded += 1
    stdout.write(f"worksheets: {seeded} demo clients given worksheets")
