"""Interprets questionnaire definitions: forms, scoring, severity bands and risk rules.
Nothing here knows PHQ-9 or GAD-7 by name; their rules are in the JSON definitions."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from confide.core.definitions import ensure_loaded


def text(translations: dict[str, str], language: str) -> str:
    """The text in ``language``, falling back to English (definitions always carry en)."""
    return translations.get(language[:2]) or translations["en"]


@dataclass(frozen=True)
class Definition:
    key: str
    version: int
    data: dict[str, Any]

    @property
    def items(self) -> list[dict[str, Any]]:
        return list(self.data["items"])

    def options(self, item: dict[str, Any]) -> list[dict[str, Any]]:
        return list(item.get("options") or self.data.get("options") or [])


FIXTURE = Path(__file__).resolve().parent / "fixtures" / "questionnaires.json"


def ensure_definitions() -> None:
    from confide.intake.models import Questionnaire

    ensure_loaded(Questionnaire, FIXTURE)


@lru_cache(maxsize=64)
def _load(key: str, version: int | None) -> Definition:
    from confide.intake.models import Questionnaire

    ensure_definitions()
    rows = Questionnaire.objects.filter(key=key)
    row = rows.get(version=version) if version else rows.order_by("-version").first()
    if row is None:
        raise LookupError(key)
    return Definition(row.key, row.version, row.definition)


def definition(key: str, version: int | None = None) -> Definition:
    return _load(key, version)


def flow() -> list[str]:
    """Questionnaire keys of the intake flow, in their declared step order (latest versions)."""
    from confide.intake.models import Questionnaire

    ensure_definitions()
    steps: dict[str, int] = {}
    for key, data in Questionnaire.objects.values_list("key", "definition"):
        if "step" in data:
            steps[key] = int(data["step"])
    return sorted(steps, key=steps.__getitem__)


def build_form(
    defn: Definition, language: str, data: Any = None, initial: Any = None
) -> forms.Form:
    form = forms.Form(data=data, initial=initial)
    for item in defn.items:
        label = text(item["text"], language)
        required = item.get("required", True)
        kind = item["type"]
        choices = [(str(o["value"]), text(o["label"], language)) for o in defn.options(item)]
        field: forms.Field
        if kind in {"single", "scale"}:
            field = forms.ChoiceField(
                label=label, choices=choices, widget=forms.RadioSelect, required=required
            )
        elif kind == "multi":
            field = forms.MultipleChoiceField(
                label=label, choices=choices, widget=forms.CheckboxSelectMultiple, required=required
            )
        elif kind == "text":
            field = forms.CharField(
                label=label, max_length=item.get("max_length", 500), required=required
            )
        else:  # pragma: no cover - definitions are validated by tests
            raise ValueError(kind)
        field.error_messages["required"] = _("Please answer this question.")
        form.fields[item["id"]] = field
    return form


def clean_answers(defn: Definition, cleaned: dict[str, Any]) -> dict[str, Any]:
    """Store scale answers as integers, everything else as given."""
    answers: dict[str, Any] = {}
    for item in defn.items:
        value = cleaned.get(item["id"])
        if item["type"] == "scale" and value not in (None, ""):
            value = int(value)
        answers[item["id"]] = value
    return answers


def score(defn: Definition, answers: dict[str, Any]) -> dict[str, Any]:
    """{"score": total, "band": key} for definitions with a sum scoring rule; {} otherwise."""
    rule = defn.data.get("scoring")
    if not rule:
        return {}
    total = sum(int(answers[item]) for item in rule["items"])
    band = next(b["key"] for b in rule["bands"] if b["min"] <= total <= b["max"])
    return {"score": total, "band": band}


def band_label(defn: Definition, band: str, language: str) -> str:
    for entry in defn.data["scoring"]["bands"]:
        if entry["key"] == band:
            return text(entry["label"], language)
    return band


def risks(defn: Definition, answers: dict[str, Any]) -> list[str]:
    """Sources of the risk rules that fire: {"item", "min"} for numbers, {"item", "equals"}."""
    fired = []
    for rule in defn.data.get("risk", []):
        value = answers.get(rule["item"])
        if value in (None, ""):
            continue
        at_least = "min" in rule and int(value) >= rule["min"]
        equal = "equals" in rule and str(value) == str(rule["equals"])
        if at_least or equal:
            fired.append(rule["source"])
    return fired
