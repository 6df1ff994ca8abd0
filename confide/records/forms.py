"""Forms of the note pages. A note's fields come from its template (templates_data.py); the
services check every rule again, so the page and any other caller get the same answers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from confide.records import services
from confide.records.templates_data import CHOICES, TEMPLATES


class NoteForm(forms.Form):
    """One text box per section of the note's template, plus the session it is about."""

    def __init__(
        self,
        template_key: str,
        *args: Any,
        bookings: list[tuple[str, str]] | None = None,
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        self.template_key = template_key
        for section in TEMPLATES[template_key].sections:
            self.fields[section.key] = forms.CharField(
                label=section.label,
                help_text=section.hint,
                max_length=services.MAX_TEXT,
                required=False,
                widget=forms.Textarea(attrs={"rows": 5}),
            )
        if bookings is not None:
            self.fields["booking"] = forms.ChoiceField(
                label=_("Session"),
                choices=[("", _("No session: a free-standing note")), *bookings],
                required=False,
            )

    def content(self) -> dict[str, str]:
        return {
            s.key: self.cleaned_data.get(s.key, "") for s in TEMPLATES[self.template_key].sections
        }


class TemplateChoiceForm(forms.Form):
    template = forms.ChoiceField(label=_("Template"), choices=CHOICES)


class AddendumForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the correction"),
        min_length=services.MIN_REASON,
        max_length=services.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    body = forms.CharField(
        label=_("Addendum"), max_length=services.MAX_TEXT, widget=forms.Textarea(attrs={"rows": 5})
    )


class ReasonForm(forms.Form):
    """The stated reason for a legal hold or for producing the record."""

    reason = forms.CharField(
        label=_("Reason"),
        min_length=services.MIN_REASON,
        max_length=300,
        help_text=_("For example the request's reference. It goes into the audit log."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
