from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from confide.measures.models import MeasureSchedule
from confide.measures.services import MAX_WEEKS, MIN_WEEKS, ScheduleDraft

#: The intervals offered first: the usual ones for PHQ-9 and GAD-7.
USUAL = (2, 4)


def every_choices() -> list[tuple[int, str]]:
    """Built per request, so each label is in the viewer's language."""
    order = [*USUAL, *(n for n in range(MIN_WEEKS, MAX_WEEKS + 1) if n not in USUAL)]
    return [(n, ngettext("Every %(n)d week", "Every %(n)d weeks", n) % {"n": n}) for n in order]


class ScheduleForm(forms.Form):
    """The counselor's schedule for one client: which measure, how often, from when."""

    measure = forms.ChoiceField(label=_("Measure"), choices=MeasureSchedule.Measure.choices)
    every_weeks = forms.TypedChoiceField(label=_("How often"), coerce=int, initial=2)
    starts_on = forms.DateField(
        label=_("First due date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),  # what browsers expect
        help_text=_("A date in the client's time zone; later dates fall on the same weekday."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["every_weeks"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = every_choices()

    def draft(self) -> ScheduleDraft:
        data = self.cleaned_data
        return ScheduleDraft(data["measure"], int(data["every_weeks"]), data["starts_on"])
