"""Demo intake answers for the demo client, so "Find a counselor" shows reasoned suggestions
at once (embedded default only). Safe to run again."""

from __future__ import annotations

from typing import Any

from confide.core.demo_accounts import DEMO_ACCOUNTS

ANSWERS: dict[str, dict[str, Any]] = {
    "intake_reason": {"reason": ["anxiety", "stress"], "danger": "no"},
    "intake_preferences": {
        "pref_language": ["es", "en"],
        "pref_gender": "any",
        "pref_session": "video",
        "pref_times": ["evening"],
    },
    "phq9": {f"phq9_{i}": 1 for i in range(1, 9)} | {"phq9_9": 0},
    "gad7": {f"gad7_{i}": 2 for i in range(1, 8)},
}


def seed(stdout: Any = None) -> None:
    from confide.accounts.models import User
    from confide.intake import engine
    from confide.intake.models import IntakeResponse, Questionnaire
    from confide.presets import current_preset

    email = next(e for role, e, _p in DEMO_ACCOUNTS if role == "client")
    client = User.objects.filter(email=email).first()
    if client is None or IntakeResponse.objects.filter(client=client).exists():
        return
    engine.ensure_definitions()
    answers = dict(ANSWERS)
    answers["intake_location"] = {"country": current_preset().jurisdiction, "region": ""}
    for key, given in answers.items():
        defn = engine.definition(key)
        IntakeResponse.objects.create(
            client=client,
            questionnaire=Questionnaire.objects.get(key=key, version=defn.version),
            answers=given,
            result=engine.score(defn, given),
        )
    if stdout is not None:
        stdout.write(f"demo intake answers for {email}")
