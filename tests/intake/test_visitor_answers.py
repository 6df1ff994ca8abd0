"""A visitor's answers before sign-up, the self-harm item included, never sit in the session: the
session holds a random token, the answers a sealed row under a key of their own that is destroyed
when they are attached at sign-up or swept a day after the last answer (INTAKE-1, KEEP-1)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from confide.intake.models import CrisisFlag, IntakeResponse, VisitorAnswers
from confide.privacy.models import DataKey
from tests.factories import PASSWORD, make_user
from tests.intake.test_flow import walk

CANARY_REASON = {"reason": ["grief"], "danger": "no"}
SELF_HARM = {f"phq9_{i}": "2" for i in range(1, 10)} | {"phq9_9": "3"}


def raw_table(table: str, column: str) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608 - fixed names
        return b"".join(
            bytes(value) if isinstance(value, (bytes, memoryview)) else str(value).encode()
            for (value,) in cursor.fetchall()
        )


@pytest.mark.promise("INTAKE-1")
def test_the_session_holds_only_a_token_and_the_answers_are_sealed(client: Any, db: Any) -> None:
    walk(client, phq=SELF_HARM)
    session = Session.objects.get()
    decoded = session.get_decoded()
    assert set(decoded["intake"]) == {"visitor"}
    for stored in (raw_table("django_session", "session_data"), str(decoded).encode()):
        assert b"phq9" not in stored and b"anxiety" not in stored and b"risk" not in stored
    row = VisitorAnswers.objects.get(visitor=decoded["intake"]["visitor"])
    sealed = raw_table("intake_visitoranswers", "sealed")
    assert b"phq9" not in sealed and b"anxiety" not in sealed
    assert DataKey.objects.filter(subject_id=row.subject_id, scope="visitor_intake").exists()
    assert row.subject_id < 0  # never a user's key


@pytest.mark.promise("INTAKE-1")
def test_signing_up_attaches_the_answers_and_forgets_the_visitor_record(
    client: Any, db: Any
) -> None:
    walk(client, phq=SELF_HARM)
    row = VisitorAnswers.objects.get()
    user = make_user("client", email="new@example.test")
    assert client.login(email=user.email, password=PASSWORD)
    assert IntakeResponse.objects.filter(client=user).count() == 5
    assert CrisisFlag.objects.filter(client=user).exists()  # the self-harm rule followed too
    assert not VisitorAnswers.objects.exists()
    assert not DataKey.objects.filter(subject_id=row.subject_id).exists()


@pytest.mark.promise("KEEP-1")
def test_a_visitor_record_is_swept_a_day_after_the_last_answer(client: Any, db: Any) -> None:
    from confide.privacy.retention import sweep

    walk(client)
    row = VisitorAnswers.objects.get()
    sweep(now=timezone.now() + timedelta(hours=23))
    assert VisitorAnswers.objects.filter(pk=row.pk).exists()
    counts = sweep(now=timezone.now() + timedelta(days=1, minutes=1))
    assert counts.get("intake.visitoranswers") == 1
    assert not VisitorAnswers.objects.exists()
    assert not DataKey.objects.filter(subject_id=row.subject_id).exists()


@pytest.mark.promise("INTAKE-1")
def test_answers_left_in_an_older_session_move_into_the_sealed_record(client: Any, db: Any) -> None:
    session = client.session
    session["intake"] = {
        "visitor": "a" * 32,
        "answers": {"intake_reason": {"reason": ["grief"], "danger": "no"}},
        "risks": [],
    }
    session.save()
    response = client.get("/intake/step/intake_preferences/")
    assert response.status_code == 200
    assert set(Session.objects.get().get_decoded()["intake"]) == {"visitor"}
    assert VisitorAnswers.objects.filter(visitor="a" * 32).exists()


def test_expired_sessions_are_removed_on_a_schedule(db: Any, client_user: Any) -> None:
    from django.conf import settings
    from django.test import Client

    from confide.core.tasks import clear_expired_sessions

    jobs = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "core.clear_expired_sessions" in jobs
    web = Client()
    web.force_login(client_user)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    fresh = Client()
    fresh.force_login(client_user)
    clear_expired_sessions()
    assert Session.objects.count() == 1
