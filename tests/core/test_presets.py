"""Presets are rules the code follows (KEEP-4), proved through the code that reads them: every
field is read somewhere, a HIPAA deployment signs people out after 15 idle minutes, access to
client data is audited under each person's own id and staff reach it only through break-glass,
and a Swedish deployment holds clinical records ten years from the last session."""

from __future__ import annotations

import dataclasses
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from confide.audit import services as audit
from confide.audit.models import AuditEvent
from confide.core.sockets import SESSION_SEEN
from confide.presets import Preset
from confide.privacy import erasure
from confide.privacy.models import LegalHold
from tests.factories import make_user

SOURCE = Path(__file__).resolve().parents[2] / "confide"
#: Prose for whoever picks a preset, not a rule: nothing has to obey it.
DOCUMENTATION_ONLY = {"description"}


@pytest.mark.promise("KEEP-4")
def test_every_preset_field_is_read_by_the_code() -> None:
    code = "\n".join(
        path.read_text()
        for path in SOURCE.rglob("*")
        if path.suffix in {".py", ".html", ".txt"} and path.name != "presets.py"
    )
    unread = [
        f.name
        for f in dataclasses.fields(Preset)
        if f.name not in DOCUMENTATION_ONLY and not re.search(rf"\.{f.name}\b", code)
    ]
    assert unread == [], f"preset fields nothing reads (make them real or remove them): {unread}"


def _idle_for(browser: Client, minutes: int) -> int:
    assert browser.get(reverse("core:dashboard")).status_code == 200
    session = browser.session
    session[SESSION_SEEN] = time.time() - minutes * 60
    session.save()
    return browser.get(reverse("core:dashboard")).status_code


@pytest.mark.django_db
@pytest.mark.promise("KEEP-4")
@pytest.mark.parametrize(
    ("preset", "signed_out"), [("us_hipaa", True), ("o7therapy", True), ("eu_es", False)]
)
def test_a_hipaa_deployment_signs_out_after_fifteen_idle_minutes(
    settings: Any, preset: str, signed_out: bool
) -> None:
    settings.CONFIDE_PRESET = preset
    browser = Client()
    browser.force_login(make_user("client"))
    assert _idle_for(browser, 16) == (302 if signed_out else 200)
    still_in = browser.get(reverse("core:dashboard")).wsgi_request.user.is_authenticated
    assert still_in is not signed_out


@pytest.mark.django_db
@pytest.mark.promise("KEEP-4")
def test_a_hipaa_deployment_audits_access_and_allows_emergency_access_only_with_a_reason(
    settings: Any, client_user: Any, counselor: Any, care: Any, staff_user: Any, team_leader: Any
) -> None:
    settings.CONFIDE_PRESET = "us_hipaa"
    url = f"/matching/clients/{client_user.pk}/"
    own = Client()
    own.force_login(counselor)
    assert own.get(url).status_code == 200
    assert AuditEvent.objects.filter(actor_id=counselor.pk, subject_id=client_user.pk).exists()
    for person in (staff_user, team_leader):
        browser = Client()
        browser.force_login(person)
        assert browser.post(url, {"reason": "short"}).status_code == 400  # no reason, no data
        assert (
            browser.post(url, {"reason": "Emergency: client at risk, ticket 7"}).status_code == 200
        )
    emergency = AuditEvent.objects.filter(action="break_glass.view_clinical")
    # Unique user identification: each access is tracked to the person who made it.
    assert sorted(emergency.values_list("actor_id", flat=True)) == sorted(
        [staff_user.pk, team_leader.pk]
    )
    assert audit.verify_chain().ok
    with pytest.raises(IntegrityError), transaction.atomic():
        make_user("client", email=client_user.email)  # no two people share an identity


@pytest.mark.django_db
@pytest.mark.promise("KEEP-4")
@pytest.mark.parametrize(
    ("preset", "years", "law"),
    [
        ("eu_se", 10, "Patientdatalagen"),
        ("mentabee", 10, "Patientdatalagen"),
        ("eu_es", 5, "41/2002"),
    ],
)
def test_swedish_deployments_hold_clinical_records_ten_years_from_the_last_session(
    settings: Any, client_user: Any, counselor: Any, preset: str, years: int, law: str
) -> None:
    from confide.matching.models import CareRelationship
    from confide.scheduling.models import Booking

    settings.CONFIDE_PRESET = preset
    last = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with time_machine.travel(last - timedelta(days=30), tick=False):
        CareRelationship.objects.create(client=client_user, counselor=counselor)
        Booking.objects.create(
            client=client_user,
            counselor=counselor,
            starts_at=last,
            ends_at=last + timedelta(hours=1),
            status=Booking.Status.COMPLETED,
        )
    erasure.erase_account(client_user)
    hold = LegalHold.objects.get(subject_id=client_user.pk)
    assert hold.until == last + timedelta(hours=1) + timedelta(days=365 * years)
    assert hold.law == "clinical_records"  # a law key, named by the preset per language
    from confide.presets import PRESETS

    assert law in PRESETS[preset].law_name(hold.law, "en")
