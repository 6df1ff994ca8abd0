"""Forms: every value a scheduling page accepts is validated here, with messages in the user's
language."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from confide.core.zones import zone_choices
from confide.scheduling.models import DateException

WEEKDAYS = [
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
]
REMINDER_CHOICES = [
    (2880, _("2 days before")),
    (1440, _("1 day before")),
    (120, _("2 hours before")),
    (60, _("1 hour before")),
    (15, _("15 minutes before")),
]


class SlotForm(forms.Form):
    """A chosen start time, as the ISO 8601 UTC instant the page offered."""

    starts_at = forms.CharField(max_length=40)

    def clean_starts_at(self) -> datetime:
        raw = self.cleaned_data["starts_at"]
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            raise forms.ValidationError(_("Please choose one of the times offered.")) from None
        if value.tzinfo is None:
            raise forms.ValidationError(_("Please choose one of the times offered."))
        return value.astimezone(UTC)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (shown to your client)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AvailabilityForm(forms.Form):
    timezone = forms.ChoiceField(label=_("Time zone of these hours"))
    session_minutes = forms.IntegerField(
        label=_("Session length (minutes)"), min_value=15, max_value=180
    )
    buffer_minutes = forms.IntegerField(
        label=_("Break between sessions (minutes)"), min_value=0, max_value=120
    )
    min_notice_hours = forms.IntegerField(
        label=_("Minimum notice (hours)"), min_value=0, max_value=24 * 14
    )
    horizon_days = forms.IntegerField(
        label=_("Clients may book up to this many days ahead"), min_value=1, max_value=365
    )
    requires_approval = forms.BooleanField(
        label=_("I confirm each booking request myself"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zones = self.fields["timezone"]
        assert isinstance(zones, forms.ChoiceField)
        zones.choices = zone_choices(self.initial.get("timezone", ""))
        for day, name in enumerate(WEEKDAYS):
            self.fields[f"start_{day}"] = forms.TimeField(label=name, required=False)
            self.fields[f"end_{day}"] = forms.TimeField(label=name, required=False)

    def day_fields(self) -> list[tuple[Any, Any, Any]]:
        return [(name, self[f"start_{d}"], self[f"end_{d}"]) for d, name in enumerate(WEEKDAYS)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for day in range(7):
            start, end = data.get(f"start_{day}"), data.get(f"end_{day}")
            if (start is None) != (end is None):
                self.add_error(f"end_{day}", _("Give both a start and an end, or neither."))
            elif start is not None and end is not None and end <= start:
                self.add_error(f"end_{day}", _("The end must be after the start."))
        return data

    def weekly(self) -> dict[int, list[tuple[Any, Any]]]:
        data = self.cleaned_data
        return {
            d: [(data[f"start_{d}"], data[f"end_{d}"])]
            for d in range(7)
            if data.get(f"start_{d}") is not None
        }


class ExceptionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (DateException.Kind.OFF, _("Time off")),
            (DateException.Kind.EXTRA, _("Extra hours")),
        ],
    )
    start_time = forms.TimeField(
        label=_("From"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_time = forms.TimeField(
        label=_("Until"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_time"), data.get("end_time")
        if (start is None) != (end is None):
            self.add_error("end_time", _("Give both a start and an end, or neither."))
        elif start is None and data.get("kind") == DateException.Kind.EXTRA:
            self.add_error("start_time", _("Extra hours need a start and an end."))
        elif start is not None and end is not None and end <= start:
            self.add_error("end_time", _("The end must be after the start."))
        return data


class ReminderForm(forms.Form):
    reminders = forms.TypedMultipleChoiceField(
        label=_("Remind me"),
        choices=REMINDER_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sms = forms.BooleanField(label=_("Also by text message (verified phone only)"), required=False)


class FeedForm(forms.Form):
    details = forms.BooleanField(
        label=_(
            'Show the other person\'s name in my calendar (otherwise only "Counseling session")'
        ),
        required=False,
    )
