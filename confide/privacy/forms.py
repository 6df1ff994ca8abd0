from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from confide.accounts.models import User
from confide.privacy.inventory import CATEGORIES, PURPOSES, all_declarations
from confide.privacy.models import RightsRequest
from confide.privacy.processing import OBJECTABLE
from confide.privacy.services import EDITABLE_FIELDS, HIDEABLE_FIELDS


class ProfileForm(forms.ModelForm):
    """Rectification (RIGHTS-2) of the fields a person edits themselves."""

    class Meta:
        model = User
        fields = list(EDITABLE_FIELDS)
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.conf import settings

        self.fields["language"] = forms.ChoiceField(
            label=_("Language"), choices=[("", "—"), *settings.LANGUAGES], required=False
        )


def _field_label(name: str) -> Any:
    return getattr(User._meta.get_field(name), "verbose_name", name)


class HideFieldsForm(forms.Form):
    hidden = forms.MultipleChoiceField(
        label=_("Hide these details from others"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=(),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hidden"].choices = [(n, _field_label(n)) for n in HIDEABLE_FIELDS]  # type: ignore[attr-defined]


#: Not offered for erasure by category: credentials (you would be locked out: erase the account
#: instead) and consent records (deleting them would silently undo restrictions and objections).
NOT_ERASABLE_BY_CATEGORY = frozenset({"credentials", "consent"})


def declared_categories() -> list[str]:
    found = {
        spec.category
        for d in all_declarations()
        if d.subject is not None
        for spec in d.fields.values()
    }
    return [key for key in CATEGORIES if key in found and key not in NOT_ERASABLE_BY_CATEGORY]


class EraseCategoriesForm(forms.Form):
    categories = forms.MultipleChoiceField(
        label=_("Kinds of data to erase"),
        widget=forms.CheckboxSelectMultiple,
        choices=(),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = [  # type: ignore[attr-defined]
            (key, CATEGORIES[key][0]) for key in declared_categories()
        ]


class EraseAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my account and my data will be erased and cannot be restored."),
        required=True,
    )


class EraseItemForm(forms.Form):
    model = forms.CharField(max_length=100)
    item = forms.CharField(max_length=64)


class ToggleForm(forms.Form):
    on = forms.TypedChoiceField(choices=[("1", "on"), ("0", "off")], coerce=lambda v: v == "1")


class ObjectionForm(ToggleForm):
    purpose = forms.ChoiceField(choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["purpose"].choices = objectable_choices()  # type: ignore[attr-defined]


def objectable_choices() -> list[tuple[str, Any]]:
    return [(key, PURPOSES[key][0]) for key in PURPOSES if key in OBJECTABLE]


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need to see these records?"),
        min_length=10,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OtherRequestForm(forms.Form):
    details = forms.CharField(
        label=_("What would you like us to do?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class HandleRequestForm(forms.Form):
    """Staff: the next state of a request, and a reason when refusing."""

    state = forms.ChoiceField(
        label=_("New status"),
        choices=[
            (s.value, s.label) for s in RightsRequest.State if s != RightsRequest.State.RECEIVED
        ],
    )
    reason = forms.CharField(
        label=_("Reason (shown to the person when refusing)"), max_length=300, required=False
    )
