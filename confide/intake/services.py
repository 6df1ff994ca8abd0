"""The intake flow. Before sign-up, answers live in a sealed ``VisitorAnswers`` row under a data
key of the visitor's own (the session holds only a random visitor token); from the moment they
are attached to a user they are stored encrypted under that user's key and the visitor row is
deleted. Registration events record only that something happened (INTAKE-1)."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from confide.audit import services as audit
from confide.intake import engine
from confide.intake.models import (
    CrisisFlag,
    IntakeEvent,
    IntakeResponse,
    Questionnaire,
    VisitorAnswers,
)
from confide.presets import current_preset
from confide.privacy import crypto

SESSION_KEY = "intake"


def _state(session: Any) -> dict[str, Any]:
    """The visitor token, the only intake data a session holds. A session written before answers
    moved out of it has them moved into the sealed record on its next request."""
    state = session.get(SESSION_KEY)
    if state is None:
        state = {"visitor": secrets.token_hex(16)}
        _save_state(session, state)
    elif "answers" in state or "risks" in state:
        legacy = {"answers": state.get("answers", {}), "risks": state.get("risks", [])}
        if legacy["answers"] or legacy["risks"]:
            visitor = state["visitor"]
            _seal(_visitor_row(visitor, lock=True), visitor, legacy)
        _save_state(session, {"visitor": state["visitor"]})
    return {"visitor": session[SESSION_KEY]["visitor"]}


def _save_state(session: Any, state: dict[str, Any]) -> None:
    session[SESSION_KEY] = state
    session.modified = True


# --- A visitor's sealed answers ------------------------------------------------------------------
def _aad(row: VisitorAnswers) -> bytes:
    return f"intake.visitoranswers.sealed:{row.visitor}".encode()


def _visitor_row(visitor: str, *, lock: bool = False) -> VisitorAnswers | None:
    rows = VisitorAnswers.objects.filter(visitor=visitor)
    return (rows.select_for_update() if lock else rows).first()


def _unseal(row: VisitorAnswers | None) -> dict[str, Any]:
    if row is None:
        return {"answers": {}, "risks": []}
    data: dict[str, Any] = json.loads(crypto.decrypt(bytes(row.sealed), aad=_aad(row)))
    return data


def _seal(row: VisitorAnswers | None, visitor: str, data: dict[str, Any]) -> None:
    """Write ``data`` into ``row`` (read under lock by the caller), or a new row."""
    if row is None:
        row = VisitorAnswers(visitor=visitor, subject_id=-(secrets.randbelow(2**62) + 1))
    row.sealed = crypto.encrypt(
        json.dumps(data).encode(),
        subject_id=row.subject_id,
        scope=VisitorAnswers.KEY_SCOPE,
        aad=_aad(row),
    )
    row.updated_at = timezone.now()
    row.save()


def forget_visitor(row: VisitorAnswers) -> None:
    """Destroy the visitor's data key with the row (post_delete: attach, the sweep, an admin)."""
    crypto.shred(row.subject_id, [VisitorAnswers.KEY_SCOPE], keep=())


def record_event(session: Any, user: Any, kind: str) -> None:
    """Once per visit and kind; no answer content, only that it happened."""
    state = _state(session)
    _save_state(session, state)
    user_id = user.pk if user is not None and user.is_authenticated else None
    try:
        with transaction.atomic():
            IntakeEvent.objects.create(kind=kind, visitor=state["visitor"], user_id=user_id)
    except IntegrityError:
        if user_id:
            IntakeEvent.objects.filter(visitor=state["visitor"], user__isnull=True).update(
                user_id=user_id
            )


def start(session: Any, user: Any) -> str:
    record_event(session, user, IntakeEvent.Kind.STARTED)
    return engine.flow()[0]


@dataclass(frozen=True)
class StepResult:
    next_key: str | None
    risks: list[str]


@transaction.atomic
def save_step(session: Any, user: Any, key: str, cleaned: dict[str, Any]) -> StepResult:
    """Store one step's answers (session or encrypted row), fire risk rules, record events."""
    defn = engine.definition(key)
    answers = engine.clean_answers(defn, cleaned)
    risks = engine.risks(defn, answers)
    record_event(session, user, IntakeEvent.Kind.ANSWERED)
    if user is not None and user.is_authenticated:
        _persist(user, defn, answers)
        for source in risks:
            raise_flag(user, source)
    else:
        visitor = _state(session)["visitor"]
        row = _visitor_row(visitor, lock=True)
        data = _unseal(row)
        data["answers"] = {**data["answers"], key: answers}
        data["risks"] = sorted(set(data["risks"]) | set(risks))
        _seal(row, visitor, data)
    steps = engine.flow()
    position = steps.index(key)
    next_key = steps[position + 1] if position + 1 < len(steps) else None
    if next_key is None:
        record_event(session, user, IntakeEvent.Kind.FINISHED)
    return StepResult(next_key, risks)


def _persist(user: Any, defn: engine.Definition, answers: dict[str, Any]) -> IntakeResponse:
    engine.ensure_definitions()
    questionnaire = Questionnaire.objects.get(key=defn.key, version=defn.version)
    return IntakeResponse.objects.create(
        client=user,
        questionnaire=questionnaire,
        answers=answers,
        result=engine.score(defn, answers),
    )


@transaction.atomic
def attach(session: Any, user: Any) -> int:
    """Move a visitor's session answers to the (new or signed-in) user, encrypted; raise any
    crisis flags they triggered. Returns how many questionnaires were attached."""
    if not session.get(SESSION_KEY) or user.role != "client":
        return 0
    visitor = _state(session)["visitor"]
    data = _unseal(_visitor_row(visitor))
    attached = 0
    for key, answers in data["answers"].items():
        _persist(user, engine.definition(key), answers)
        attached += 1
    for source in data["risks"]:
        raise_flag(user, source)
    IntakeEvent.objects.filter(visitor=visitor, user__isnull=True).update(user=user)
    VisitorAnswers.objects.filter(visitor=visitor).delete()
    if attached:
        audit.record("intake.attached", actor=user, subject_id=user.pk, details={"steps": attached})
    return attached


def raise_flag(client: Any, source: str) -> CrisisFlag:
    """Flag the case for the client's counselor (now, or whoever is assigned next) and tell
    the counselor by email without any detail: the email says only to look at the client list."""
    flag = CrisisFlag.objects.create(client=client, source=source)
    audit.record(
        "intake.crisis_flag",
        actor=client,
        subject_id=client.pk,
        target=flag,
        details={"source": source},
    )
    from confide.matching.models import CareRelationship

    care = (
        CareRelationship.objects.filter(client=client, ended_at__isnull=True)
        .select_related("counselor")
        .first()
    )
    if care is not None:
        notify_counselor_of_flags(care.counselor)
    return flag


def notify_counselor_of_flags(counselor: Any) -> None:
    from confide.core.mail import send_templated
    from confide.core.times import user_zone

    transaction.on_commit(
        lambda: send_templated(
            "intake/email/crisis_flag",
            counselor.email,
            {},
            language=counselor.language or None,
            zone=user_zone(counselor),
        )
    )


def open_flags(client_ids: list[int]) -> set[int]:
    return set(
        CrisisFlag.objects.filter(client_id__in=client_ids, seen_at__isnull=True).values_list(
            "client_id", flat=True
        )
    )


def answers_for(session: Any, user: Any) -> dict[str, dict[str, Any]]:
    """Latest answers per questionnaire key, from the encrypted rows or the visitor session."""
    if user is not None and user.is_authenticated:
        latest: dict[str, dict[str, Any]] = {}
        for response in IntakeResponse.objects.filter(client=user).select_related("questionnaire"):
            latest.setdefault(response.questionnaire.key, dict(response.answers))  # type: ignore[arg-type]
        return latest
    return dict(_unseal(_visitor_row(_state(session)["visitor"]))["answers"])


def client_answers(client_id: int) -> dict[str, dict[str, Any]]:
    latest: dict[str, dict[str, Any]] = {}
    rows = IntakeResponse.objects.filter(client_id=client_id).select_related("questionnaire")
    for response in rows:
        latest.setdefault(response.questionnaire.key, dict(response.answers))  # type: ignore[arg-type]
    return latest


def results_for(user: Any) -> list[tuple[engine.Definition, dict[str, Any]]]:
    seen: set[str] = set()
    out: list[tuple[engine.Definition, dict[str, Any]]] = []
    for response in IntakeResponse.objects.filter(client=user).select_related("questionnaire"):
        q = response.questionnaire
        if q.key in seen or not q.definition.get("scoring"):
            continue
        seen.add(q.key)
        out.append((engine.definition(q.key, q.version), dict(response.result)))  # type: ignore[arg-type]
    return out


def crisis_lines(country: str | None, language: str) -> list[dict[str, str]]:
    """Crisis lines for the person's country (the preset's own country when unknown)."""
    preset = current_preset()
    lines = preset.crisis_lines.get((country or "").upper()) or preset.crisis_lines.get(
        preset.crisis_country, ()
    )
    return [
        {"number": line["number"], "text": line.get(language[:2]) or line["en"]} for line in lines
    ]
