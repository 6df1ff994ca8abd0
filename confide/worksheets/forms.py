"""Forms of the worksheet pages. The answer form is built from the template's fields; every
answer field is optional and unchecked here, so whatever was typed comes back to the service,
which types and checks it and names each bad field (services.clean_answers)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from confide.worksheets import catalog, services
from confide.worksheets.models import WorksheetTemplate

PREFIX = "a_"


def _widget(kind: str) -> forms.Widget:
    if kind == "long":
        return forms.Textarea(attrs={"rows": 4, "maxlength": services.MAX_LONG})
    if kind == "rating":
        attrs = {"type": "number", "min": services.RATING_MIN, "max": services.RATING_MAX}
        return forms.TextInput(attrs={**attrs, "inputmode": "numeric", "step": 1})
    if kind == "date":
        return forms.DateInput(attrs={"type": "date"})
    return forms.TextInput(attrs={"maxlength": services.MAX_SHORT})


class AnswerForm(forms.Form):
    """The fields of one template, in order, labelled and explained in the reader's language."""

    def __init__(self, template: WorksheetTemplate, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in template.fields:
            name, label = PREFIX + field["id"], catalog.text(field.get("label"))
            help_text = catalog.text(field.get("help"))
            widget = _widget(field["type"])
            if help_text:  # fill.html renders the help with this id, next to the label
                widget.attrs["aria-describedby"] = f"id_{name}-help"
            self.fields[name] = forms.CharField(
                label=label + (" *" if field.get("required") else ""),
                help_text=help_text,
                required=False,
                strip=False,
                widget=widget,
            )

    @classmethod
    def for_answers(cls, template: WorksheetTemplate, answers: dict[str, Any]) -> AnswerForm:
        initial = {PREFIX + k: "" if v is None else str(v) for k, v in answers.items()}
        return cls(template, initial=initial)

    def raw(self) -> dict[str, str]:
        """What was typed, by field id (the service checks it)."""
        return {
            name.removeprefix(PREFIX): str(self.data.get(name, ""))
            for name in self.fields
            if name.startswith(PREFIX)
        }

    def show_errors(self, exc: services.WorksheetError) -> None:
        for field_id, message in exc.fields.items():
            if PREFIX + field_id in self.fields:
                self.add_error(PREFIX + field_id, message)
        self.add_error(None, exc.message)


class AssignForm(forms.Form):
    #: The client file holds the goal form too: the prefix keeps the two forms' ids apart.
    prefix = "worksheet"

    template = forms.ChoiceField(label=_("Worksheet"), choices=catalog.choices)
    due_on = forms.DateField(
        label=_("Due date (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = forms.CharField(
        label=_("A note for your client (optional)"),
        max_length=services.MAX_NOTE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Your comment"),
        max_length=services.MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
