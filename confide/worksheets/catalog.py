"""The worksheet templates as the pages need them: the newest version of each, and its wording
in the reader's language (English when a translation is missing, which the tests forbid)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils.translation import get_language

from confide.core.definitions import ensure_loaded
from confide.worksheets.models import WorksheetTemplate

LANGUAGES = ("en", "es", "sv", "sq")


def text(value: dict[str, str] | None, language: str | None = None) -> str:
    """One translated string of a template, in ``language`` or the active one."""
    if not value:
        return ""
    code = (language or get_language() or "en")[:2]
    return value.get(code) or value.get("en", "")


FIXTURE = Path(__file__).resolve().parent / "fixtures" / "templates.json"


def ensure_templates() -> None:
    ensure_loaded(WorksheetTemplate, FIXTURE)


def current_templates() -> list[WorksheetTemplate]:
    """The newest version of every template, in the fixture's order (by key for ties)."""
    ensure_templates()
    newest: dict[str, WorksheetTemplate] = {}
    for template in WorksheetTemplate.objects.order_by("pk"):
        kept = newest.get(template.key)
        if kept is None or template.version > kept.version:
            newest[template.key] = template
    return list(newest.values())


def current(key: str) -> WorksheetTemplate | None:
    ensure_templates()
    return WorksheetTemplate.objects.filter(key=key).order_by("-version").first()


def choices() -> list[tuple[str, str]]:
    """(key, title) pairs for a select, in the active language."""
    return [(t.key, text(t.definition.get("title"))) for t in current_templates()]


def title(template: WorksheetTemplate) -> str:
    return text(template.definition.get("title"))


def crisis_lines(template: WorksheetTemplate) -> list[dict[str, str]]:
    """For a template that asks for them (the safety plan): the crisis lines of the operator's
    preset, in the active language, from the same source as the intake's crisis page."""
    if not template.definition.get("crisis_lines"):
        return []
    from confide.intake.services import crisis_lines as lines

    return lines(None, get_language() or "en")


def rows(template: WorksheetTemplate, answers: dict[str, Any]) -> list[dict[str, Any]]:
    """Each field with its label, help and answer, in order, for reading a worksheet."""
    return [
        {
            "id": f["id"],
            "type": f["type"],
            "label": text(f.get("label")),
            "help": text(f.get("help")),
            "answer": answers.get(f["id"]),
        }
        for f in template.fields
    ]
