"""The note templates as data (SOAP, DAP, BIRP, free text): each a key, a name and its sections.

Labels and hints are our words in the app's catalogue (en, es, sv, sq). A note stores its content
as ``{section key: text}``; the template of a note never changes once written, so a signed note
always reads back under the sections it was written with.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    key: str
    label: Any
    hint: Any


@dataclass(frozen=True)
class Template:
    key: str
    name: Any
    sections: tuple[Section, ...]


TEMPLATES: dict[str, Template] = {
    t.key: t
    for t in (
        Template(
            "soap",
            _("SOAP (subjective, objective, assessment, plan)"),
            (
                Section(
                    "subjective", _("Subjective"), _("What the client reports, in their words.")
                ),
                Section("objective", _("Objective"), _("What you observed during the session.")),
                Section("assessment", _("Assessment"), _("Your clinical reading of the above.")),
                Section("plan", _("Plan"), _("Next steps, tasks and the next session.")),
            ),
        ),
        Template(
            "dap",
            _("DAP (data, assessment, plan)"),
            (
                Section("data", _("Data"), _("What was said and observed.")),
                Section("assessment", _("Assessment"), _("Your clinical reading of the data.")),
                Section("plan", _("Plan"), _("Next steps, tasks and the next session.")),
            ),
        ),
        Template(
            "birp",
            _("BIRP (behaviour, intervention, response, plan)"),
            (
                Section("behavior", _("Behaviour"), _("The client's presentation and behaviour.")),
                Section("intervention", _("Intervention"), _("What you did in the session.")),
                Section("response", _("Response"), _("How the client responded.")),
                Section("plan", _("Plan"), _("Next steps, tasks and the next session.")),
            ),
        ),
        Template("free", _("Free text"), (Section("text", _("Note"), _("Write freely.")),)),
    )
}

CHOICES = [(key, template.name) for key, template in TEMPLATES.items()]


def template(key: str) -> Template:
    return TEMPLATES[key]
