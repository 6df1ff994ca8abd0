"""Measures services: the only code that reads or writes schedules and results.

A counselor sets a schedule for one of their own clients (the access policy decides who that is);
the client fills what is due; the counselor reads the results through the access policy, every
read audited (LOG-4). Items, scoring and risk rules come from intake's engine, and a risk answer
(PHQ-9 item 9) raises intake's own crisis flag, so both paths tell the counselor alike. Audit
records carry ids, never a measure's answers or score.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from confide.audit import services as audit
from confide.core.errors import DomainError
from confide.core.times import user_zone
from confide.intake import engine
from confide.measures import due
from confide.measures.models import MEASURES, MeasureResult, MeasureSchedule
from confide.privacy.access import (
    Action,
    has_active_care,
    require_client_access,
    require_client_access_to_each,
)

MIN_WEEKS, MAX_WEEKS = 1, 12


class MeasuresError(DomainError):
    """Bad input or a refused change; ``message`` is translated, ``code`` is stable."""


ERRORS: dict[str, Any] = {
    "bad_measure": _("Choose PHQ-9 or GAD-7."),
    "bad_weeks": _("Choose an interval from 1 to 12 weeks."),
    "start_past": _("The first due date cannot be in the past."),
    "already_active": _("This client already has an active schedule for that measure."),
    "not_due": _("This questionnaire is not due now. Reload the page to see what is."),
    "already_filled": _("You have already filled this one. Thank you."),
}


def error(code: str) -> MeasuresError:
    return MeasuresError(code, ERRORS[code])


def _audit(action: str, actor: Any, row: Any) -> None:
    audit.record(action, actor=actor, subject_id=row.client_id, target=row)


def _is(user: Any, role: str) -> bool:
    return getattr(user, "role", "") == role


# --- Schedules -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ScheduleDraft:
    measure: str
    every_weeks: int
    starts_on: date


def validate_schedule(draft: ScheduleDraft, client: Any) -> ScheduleDraft:
    """Check the measure, the interval and the first date (not before the client's today)."""
    if draft.measure not in MEASURES:
        raise error("bad_measure")
    if not MIN_WEEKS <= int(draft.every_weeks) <= MAX_WEEKS:
        raise error("bad_weeks")
    if draft.starts_on < due.local_today(timezone.now(), user_zone(client)):
        raise error("start_past")
    return draft


def set_schedule(counselor: Any, client_id: int, draft: ScheduleDraft) -> MeasureSchedule:
    """A counselor asks one of their own clients to fill a measure every N weeks."""
    from django.contrib.auth import get_user_model

    if not _is(counselor, "counselor"):
        raise PermissionDenied
    # Someone else's client: refused (and the refusal audited) as any other foreign read.
    require_client_access(counselor, client_id, Action.WRITE_CLINICAL)
    client = get_user_model().objects.get(pk=client_id)
    draft = validate_schedule(draft, client)
    with transaction.atomic():
        # A former counselor's schedule may still be marked active; it no longer falls due
        # (``in_care``), so only this counselor's own count.
        if MeasureSchedule.objects.filter(
            client_id=client_id, counselor=counselor, measure=draft.measure, active=True
        ).exists():
            raise error("already_active")
        schedule = MeasureSchedule.objects.create(
            client_id=client_id,
            counselor=counselor,
            measure=draft.measure,
            every_weeks=int(draft.every_weeks),
            starts_on=draft.starts_on,
        )
        _audit("measures.schedule_set", counselor, schedule)
    return schedule


def stop_schedule(counselor: Any, schedule_id: UUID | str) -> MeasureSchedule:
    """The counselor who set a schedule, while still in care, stops it; results stay."""
    with transaction.atomic():
        schedule = _schedule(MeasureSchedule.objects.select_for_update(), schedule_id)
        if schedule.counselor_id != counselor.pk:
            raise PermissionDenied
        require_client_access(counselor, schedule.client_id, Action.WRITE_CLINICAL, target=schedule)
        schedule.active, schedule.ended_at = False, timezone.now()
        schedule.save(update_fields=["active", "ended_at"])
        _audit("measures.schedule_stopped", counselor, schedule)
    return schedule


def _schedule(rows: Any, schedule_id: UUID | str) -> MeasureSchedule:
    try:
        found: MeasureSchedule = rows.get(pk=schedule_id)
    except (MeasureSchedule.DoesNotExist, ValidationError, ValueError):
        raise PermissionDenied from None
    return found


def schedules_for_counselor(counselor: Any, client_id: int) -> list[MeasureSchedule]:
    """The active schedules this counselor set for one of their clients (access audited)."""
    require_client_access(counselor, client_id, Action.VIEW_CLINICAL)
    return list(
        MeasureSchedule.objects.filter(client_id=client_id, counselor=counselor, active=True)
    )


# --- What is due ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Due:
    schedule: MeasureSchedule
    due_on: date

    @property
    def title(self) -> str:
        return str(self.schedule.get_measure_display())


def current_due(schedule: MeasureSchedule, now: datetime, zone: Any) -> date | None:
    """The occurrence waiting now (the latest one not filled yet), else None. A missed
    occurrence is replaced by the next one: a client is never faced with a backlog."""
    today = due.local_today(now, zone)
    occurrence = due.occurrence_on_or_before(schedule.starts_on, schedule.every_weeks, today)
    if occurrence is None:
        return None
    filled = MeasureResult.objects.filter(schedule=schedule, due_on=occurrence).exists()
    return None if filled else occurrence


def in_care(schedule: MeasureSchedule) -> bool:
    """A schedule asks for answers only while its counselor still cares for the client: when
    care ends, nothing more falls due and no reminder goes out (the results stay)."""
    return has_active_care(schedule.counselor_id, schedule.client_id)


def due_for_client(client: Any, now: datetime | None = None) -> list[Due]:
    """The client's own measures waiting to be filled now."""
    now, zone = now or timezone.now(), user_zone(client)
    waiting = []
    for schedule in MeasureSchedule.objects.filter(client_id=client.pk, active=True):
        if not in_care(schedule):
            continue
        occurrence = current_due(schedule, now, zone)
        if occurrence is not None:
            waiting.append(Due(schedule, occurrence))
    return waiting


def due_one(client: Any, schedule_id: UUID | str) -> Due:
    """One of the client's own schedules with its waiting occurrence; PermissionDenied for
    anyone else's, MeasuresError when nothing is due."""
    schedule = _schedule(MeasureSchedule.objects.filter(client_id=client.pk), schedule_id)
    live = schedule.active and in_care(schedule)
    occurrence = current_due(schedule, timezone.now(), user_zone(client)) if live else None
    if occurrence is None:
        raise error("not_due")
    return Due(schedule, occurrence)


def definition_of(measure: str) -> engine.Definition:
    """Intake's definition of the measure (items, options, scoring bands, risk rules)."""
    return engine.definition(measure)


# --- Filling -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Submitted:
    result: MeasureResult
    risks: list[str]


def submit(client: Any, schedule_id: UUID | str, cleaned: dict[str, Any]) -> Submitted:
    """Store the client's answers and score, sealed; a risk answer raises intake's crisis
    flag (the counselor is told, without detail) exactly as at intake."""
    from confide.intake.services import raise_flag

    if not _is(client, "client"):
        raise PermissionDenied
    with transaction.atomic():
        waiting = due_one(client, schedule_id)
        defn = definition_of(waiting.schedule.measure)
        answers = engine.clean_answers(defn, cleaned)
        risks = engine.risks(defn, answers)
        try:
            with transaction.atomic():
                result = MeasureResult.objects.create(
                    client=client,
                    schedule=waiting.schedule,
                    measure=defn.key,
                    version=defn.version,
                    due_on=waiting.due_on,
                    answers=answers,
                    result=engine.score(defn, answers),
                )
        except IntegrityError:
            raise error("already_filled") from None
        _audit("measures.result_filled", client, result)
        for source in risks:
            raise_flag(client, source)
    return Submitted(result, risks)


# --- Reading results -----------------------------------------------------------------------------
def results_of_client(client: Any) -> list[MeasureResult]:
    """The client's own results, oldest first."""
    return list(MeasureResult.objects.filter(client_id=client.pk).order_by("completed_at"))


def results_for_counselor(counselor: Any, client_id: int) -> list[MeasureResult]:
    """A client's results for their current counselor; each one read is audited through the
    access policy (refused outright, and the refusal audited, without active care)."""
    if not _is(counselor, "counselor"):
        raise PermissionDenied
    # One decision and one write for the chart; still one audit event per result read.
    return require_client_access_to_each(
        counselor,
        client_id,
        Action.VIEW_CLINICAL,
        MeasureResult.objects.filter(client_id=client_id).order_by("completed_at"),
    )


def result_score(result: MeasureResult) -> tuple[int, str]:
    """(score, band key) of a result, read from the sealed field."""
    value: Any = result.result
    return int(value["score"]), str(value["band"])


def erase_result(user: Any, item_id: str) -> bool:
    """Item action for the privacy centre (RIGHTS-3): the client erases one result."""
    try:
        deleted, _rows = MeasureResult.objects.filter(client=user, pk=item_id).delete()
    except (ValidationError, ValueError):
        return False
    if deleted:
        audit.record("measures.result_erased", actor=user, subject_id=user.pk, details={"count": 1})
    return bool(deleted)
