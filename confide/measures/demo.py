"""Demo measures (embedded default only): each demo client in active care gets, when they have
none yet, a PHQ-9 every 2 weeks from their counselor with five past results (so the chart has a
line), and the current occurrence left waiting on "My care". Safe to run again."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone


def seed(stdout: Any) -> None:
    from confide.core.times import user_zone
    from confide.intake import engine
    from confide.matching.models import CareRelationship
    from confide.measures import due
    from confide.measures.models import MeasureResult, MeasureSchedule

    cares = CareRelationship.objects.filter(
        ended_at__isnull=True, client__email__endswith="@demo.confide.localhost"
    ).select_related("client", "counselor")
    defn = engine.definition("phq9")
    seeded = 0
    for care in cares:
        if MeasureSchedule.objects.filter(client=care.client).exists():
            continue
        # Seeded as rows, like care's demo: a demo counselor may have no passkey yet.
        today = due.local_today(timezone.now(), user_zone(care.client))
        start = today - timedelta(weeks=10)
        schedule = MeasureSchedule.objects.create(
            client=care.client, counselor=care.counselor, measure="phq9", every_weeks=2,
            starts_on=start,
        )  # fmt: skip
        for k, level in enumerate((2, 2, 1, 1, 1)):
            answers = {item["id"]: level if item["id"] != "phq9_9" else 0 for item in defn.items}
            answers["phq9_1"] = max(level - (k % 2), 0)
            result = MeasureResult.objects.create(
                client=care.client, schedule=schedule, measure="phq9", version=defn.version,
                due_on=start + timedelta(weeks=2 * k), answers=answers,
                result=engine.score(defn, answers),
            )  # fmt: skip
            moment = timezone.now() - timedelta(weeks=10 - 2 * k)
            MeasureResult.objects.filter(pk=result.pk).update(completed_at=moment)
        seeded += 1
    stdout.write(f"measures: {seeded} demo clients given a PHQ-9 schedule and results")
