"""The privacy centre's access list (RIGHTS-1, LOG-1): repeated records of one visit read as one
row with a count, every row says why, no internal action name reaches the person — and the audit
chain underneath keeps every record."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from confide.audit import services as audit
from confide.audit.models import AuditEvent
from confide.privacy.access_log import WINDOW, access_rows
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _visits(client: Any, counselor: Any, staff: Any) -> None:
    start = timezone.now() - timedelta(hours=3)
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(12):  # a chat socket reconnecting every minute
            audit.record("access.message", actor=counselor, subject_id=client.pk)
            clock.shift(timedelta(minutes=1))
        clock.shift(WINDOW + timedelta(minutes=1))
        audit.record("access.message", actor=counselor, subject_id=client.pk)
        clock.shift(timedelta(minutes=5))
        audit.record("scheduling.approved", actor=counselor, subject_id=client.pk)
        audit.record(
            "break_glass.view_clinical",
            actor=staff,
            subject_id=client.pk,
            reason="Court order 2026/118 received by post",
        )


@pytest.mark.promise("RIGHTS-1")
def test_one_visit_is_one_row_and_every_record_stays_in_the_chain() -> None:
    client, counselor = make_user("client"), make_user("counselor")
    staff = make_user("staff")
    _visits(client, counselor, staff)
    rows = access_rows(client.pk)
    assert [(r.action, r.count) for r in rows] == [
        ("break_glass.view_clinical", 1),
        ("scheduling.approved", 1),
        ("access.message", 1),  # more than the window after the others: a new visit
        ("access.message", 12),
    ]
    assert rows[-1].last - rows[-1].first == timedelta(minutes=11)
    assert AuditEvent.objects.filter(subject_id=client.pk, action="access.message").count() == 13
    assert audit.verify_chain().ok


@pytest.mark.promise("RIGHTS-1")
@pytest.mark.parametrize("language", ["en", "es", "sv", "sq"])
def test_the_centre_names_why_and_never_an_internal_action(language: str, client: Any) -> None:
    person, counselor = make_user("client", language=language), make_user("counselor")
    staff = make_user("staff")
    _visits(person, counselor, staff)
    client.force_login(person)
    with translation.override(language):
        page = client.get(reverse("privacy:centre")).content.decode()
        expected = {
            "en": "(12 times)",
            "es": "(12 veces)",
            "sv": "(12 gånger)",
            "sq": "(12 herë)",
        }[language]
    section = page[page.index('id="access-title"') :]
    assert expected in section
    assert "Court order 2026/118 received by post" in section
    for internal in ("scheduling.approved", "access.message", "break_glass", "—"):
        assert internal not in section.split("</section>")[0], internal
