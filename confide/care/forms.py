"""Forms of the care pages: labels and messages in the person's language; services validate the
rules again, so a page and any other caller get the same answers."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from confide.care import services
from confide.care.models import JournalEntry


class GoalForm(forms.Form):
    title = forms.CharField(label=_("Goal"), max_length=services.MAX_TITLE)
    why = forms.CharField(
        label=_("Why it matters"),
        max_length=services.MAX_WHY,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    steps = forms.CharField(
        label=_("Steps (optional)"),
        max_length=services.MAX_STEPS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    due_on = forms.DateField(
        label=_("Due date (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def draft(self) -> services.GoalDraft:
        data = self.cleaned_data
        return services.GoalDraft(data["title"], data["why"], data["steps"], data["due_on"])


MOOD_CHOICES = [("", _("No mood")), *JournalEntry.Mood.choices]


class EntryForm(forms.Form):
    body = forms.CharField(
        label=_("Entry"), max_length=services.MAX_BODY, widget=forms.Textarea(attrs={"rows": 8})
    )
    markdown = forms.BooleanField(
        label=_("Format with Markdown (lists, emphasis, headings)"), required=False
    )
    mood = forms.ChoiceField(label=_("Mood (optional)"), choices=MOOD_CHOICES, required=False)
    tags = forms.CharField(
        label=_("Tags, separated by commas (optional)"), max_length=500, required=False
    )

    def draft(self) -> services.EntryDraft:
        data = self.cleaned_data
        return services.EntryDraft(
            data["body"], data["markdown"], data["mood"], services.parse_tags(data["tags"])
        )

    @classmethod
    def for_entry(cls, entry: JournalEntry) -> EntryForm:
        initial = {
            "body": entry.body,
            "markdown": entry.markdown,
            "mood": entry.mood or "",
            "tags": ", ".join(services.entry_tags(entry)),
        }
        return cls(initial=initial)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search your entries"), max_length=200, required=False)
    mood = forms.ChoiceField(
        label=_("Mood"), choices=[("", _("Any mood")), *JournalEntry.Mood.choices], required=False
    )
    tag = forms.CharField(label=_("Tag"), max_length=services.MAX_TAG, required=False)
    shared = forms.ChoiceField(
        label=_("Sharing"),
        choices=[("", _("All entries")), ("yes", _("Shared")), ("no", _("Private"))],
        required=False,
    )
