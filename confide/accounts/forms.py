"""Forms: the sign-up extras (names per preset, date of birth, terms, marketing opt-in) and the
account settings form."""

from __future__ import annotations

from datetime import date
from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.mfa.webauthn import forms as webauthn_forms
from allauth.socialaccount.forms import SignupForm as SocialAllauthSignupForm
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from confide.accounts import services
from confide.accounts.models import User
from confide.accounts.passkeys import VerifiedBy
from confide.core.zones import zone_choices
from confide.presets import current_preset

UNDER_AGE = "under_age"


def _real_names_required() -> bool:
    return current_preset().name_policy == "real_name_required"


class _SignupExtras(forms.Form):
    """What every sign-up asks beyond allauth: names per preset, the age rule (ACC-8), the
    policies (CONSENT-5) and a separate, unticked marketing opt-in."""

    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        help_text=_("We ask only to check you are old enough to use Confide."),
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}),
    )
    accept_terms = forms.BooleanField(
        label=_("I have read and accept the terms of service and the privacy policy."),
        required=True,
        error_messages={"required": _("Please accept the terms and privacy policy to continue.")},
    )
    marketing = forms.BooleanField(
        label=_("Send me occasional news about Confide (optional, you can stop at any time)."),
        required=False,
        initial=False,
    )

    def _add_name_fields(self) -> None:
        self.under_age = False
        if _real_names_required():
            self.fields["first_name"] = forms.CharField(
                label=_("First name"), max_length=100, widget=_text("given-name")
            )
            self.fields["last_name"] = forms.CharField(
                label=_("Last name"), max_length=100, widget=_text("family-name")
            )
        else:
            self.fields["nickname"] = forms.CharField(
                label=_("Nickname"),
                max_length=60,
                required=False,
                help_text=_("The name your counselor will see. It need not be your real name."),
                widget=_text("nickname"),
            )
        order = ["email", "nickname", "first_name", "last_name", "password1", "password2", "phone"]
        order += ["date_of_birth", "accept_terms", "marketing"]
        self.order_fields(order)

    def _check_age(self, cleaned: dict[str, Any]) -> None:
        born: date | None = cleaned.get("date_of_birth")
        email = cleaned.get("email") or self.data.get("email", "")
        too_young = born is not None and not services.check_age(born)
        if born is not None and born > timezone.localdate():
            self.add_error("date_of_birth", _("The date of birth cannot be in the future."))
        elif too_young or (email and services.recently_refused(email)):
            self._refuse(email)

    def _refuse(self, email: str) -> None:
        """ACC-8: refuse kindly; keep nothing but a hashed-email tombstone."""
        self.under_age = True
        services.refuse_under_age(str(email))
        raise ValidationError(
            _("We are sorry: you need to be at least %(age)s years old to use Confide."),
            code=UNDER_AGE,
            params={"age": current_preset().minimum_age},
        )


class SignupForm(_SignupExtras, AllauthSignupForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._add_name_fields()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        self._check_age(cleaned)
        return cleaned

    def try_save(self, request: HttpRequest) -> Any:
        if self.account_already_exists:
            services.spend_like_a_new_account(request, self.cleaned_data)
        return super().try_save(request)


class SocialSignupForm(_SignupExtras, SocialAllauthSignupForm):
    """Google/Facebook sign-up still asks for the birth date and the policies (ACC-1, ACC-8)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._add_name_fields()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        self._check_age(cleaned)
        return cleaned


def _text(autocomplete: str) -> forms.TextInput:
    return forms.TextInput(attrs={"autocomplete": autocomplete})


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    timezone = forms.ChoiceField(label=_("Time zone"), choices=())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        current = self.initial.get("timezone") or user.timezone
        self.fields["timezone"].choices = zone_choices(current)  # type: ignore[attr-defined]
        if user.is_clinician or _real_names_required():
            self.fields["first_name"] = forms.CharField(
                label=_("First name"), max_length=100, widget=_text("given-name")
            )
            self.fields["last_name"] = forms.CharField(
                label=_("Last name"), max_length=100, widget=_text("family-name")
            )
        else:
            self.fields["nickname"] = forms.CharField(
                label=_("Nickname"), max_length=60, required=False, widget=_text("nickname")
            )


def _audited_reason(label: Any) -> forms.CharField:
    """The reason a staff action records in the audit log: long enough to mean something."""
    return forms.CharField(
        label=label, min_length=10, max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


class BlockForm(forms.Form):
    reason = _audited_reason(_("Reason (sent to the person and kept in the audit log)"))


class PasskeyResetForm(forms.Form):
    verified_by = forms.ChoiceField(
        label=_("How did you verify that the request comes from this person?"),
        choices=VerifiedBy.choices,
        widget=forms.RadioSelect,
    )
    reason = _audited_reason(_("Reason (kept in the audit log)"))


class MinorForm(forms.Form):
    reason = _audited_reason(_("How do you know? (kept in the audit log, not sent to the person)"))
    confirm = forms.BooleanField(
        label=_("I have checked that this person is under the minimum age. Erase the account now."),
        required=True,
    )


# --- Passkeys (allauth's forms, our labels) --------------------------------------------------
# allauth leaves the key's name unlabelled, so Django shows the English "Name", and its Spanish
# catalog keeps "Passwordless" in English: our own labels, translated in our catalog.
_KEY_NAME = _("Name of this key")


class AddWebAuthnForm(webauthn_forms.AddWebAuthnForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].label = _KEY_NAME
        if "passwordless" in self.fields:
            self.fields["passwordless"].label = _("Sign in with this key alone, without a password")


class EditWebAuthnForm(webauthn_forms.EditWebAuthnForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].label = _KEY_NAME
