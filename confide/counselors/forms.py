from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from confide.counselors import validators, vocabulary
from confide.counselors.models import BankFormat


class AccountForm(forms.Form):
    """For a visitor applying without an account: the counselor account is created with it."""

    email = forms.EmailField(label=_("Email"))
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, min_length=10)

    def clean_email(self) -> str:
        from confide.accounts.models import User

        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email=email).exists():
            raise forms.ValidationError(_("An account with this email exists: sign in first."))
        return email

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        password_validation.validate_password(password)
        return str(password)


class ApplicationForm(forms.Form):
    legal_name = forms.CharField(label=_("Legal name"), max_length=200)
    phone = forms.CharField(label=_("Phone number"), max_length=32)
    licence_type = forms.CharField(
        label=_("Licence type"), max_length=100, help_text=_("For example: licensed psychologist")
    )
    licence_number = forms.CharField(label=_("Licence number"), max_length=60)
    licence_jurisdiction = forms.CharField(
        label=_("Licence jurisdiction"),
        max_length=10,
        help_text=_("Country code, with the state for US licences: ES, SE, AL, US-NY"),
    )
    licence_expiry = forms.DateField(
        label=_("Licence expiry date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    npi = forms.CharField(label=_("NPI (United States only)"), max_length=10, required=False)
    caqh_id = forms.CharField(
        label=_("CAQH ProView id (if you have one)"), max_length=20, required=False
    )
    gov_id_country = forms.ChoiceField(
        label=_("Country that issued your government id"),
        choices=[*vocabulary.choices(vocabulary.COUNTRIES), ("XX", _("Another country"))],
    )
    gov_id_number = forms.CharField(label=_("Government id number"), max_length=40)
    bank_format = forms.ChoiceField(label=_("Bank account format"), choices=BankFormat.choices)
    bank_account = forms.CharField(label=_("Bank account"), max_length=64)
    education = forms.CharField(
        label=_("Education"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    work_history = forms.CharField(
        label=_("Work history"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    licence_document = forms.FileField(
        label=_("Copy of your licence (PDF, PNG or JPEG, at most 5 MB)")
    )

    def clean_licence_jurisdiction(self) -> str:
        code = self.cleaned_data["licence_jurisdiction"].strip().upper()
        country, _sep, region = code.partition("-")
        if country not in vocabulary.COUNTRIES or (region and not region.isalnum()):
            raise forms.ValidationError(_("Use a country code we serve (ES, SE, AL, US-NY…)."))
        return code

    def clean_licence_expiry(self) -> Any:
        expiry = self.cleaned_data["licence_expiry"]
        if expiry < timezone.localdate():
            raise forms.ValidationError(_("This licence has expired."))
        return expiry

    def clean_npi(self) -> str:
        value = self.cleaned_data["npi"].strip()
        return validators.validate_npi(value) if value else ""

    def clean_licence_document(self) -> bytes:
        upload = self.cleaned_data["licence_document"]
        if upload.size > validators.MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(_("Documents can be at most 5 MB."))
        data = upload.read()
        validators.sniff_document(data)
        return bytes(data)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("gov_id_country") and data.get("gov_id_number"):
            try:
                data["gov_id_number"] = validators.validate_national_id(
                    data["gov_id_country"], data["gov_id_number"]
                )
            except forms.ValidationError as error:
                self.add_error("gov_id_number", error)
        if data.get("bank_format") == BankFormat.IBAN and data.get("bank_account"):
            try:
                data["bank_account"] = validators.validate_iban(data["bank_account"])
            except forms.ValidationError as error:
                self.add_error("bank_account", error)
        if str(data.get("licence_jurisdiction", "")).startswith("US") and not data.get("npi"):
            self.add_error("npi", _("US licences need an NPI."))
        return data

    def application_fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "licence_document"}


def _multi(vocab: dict[str, Any], label: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=vocabulary.choices(vocab),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=100)
    gender = forms.ChoiceField(
        label=_("Gender (used only when a client states a preference)"),
        choices=[("", _("Prefer not to say")), *vocabulary.choices(vocabulary.GENDERS)],
        required=False,
    )
    capacity = forms.IntegerField(
        label=_("How many clients you can take"), min_value=0, max_value=200
    )
    accepting = forms.BooleanField(label=_("Accepting new clients"), required=False)
    specialty = _multi(vocabulary.SPECIALTIES, _("Specialties"))
    approach = _multi(vocabulary.APPROACHES, _("Approaches"))
    language = _multi(vocabulary.LANGUAGES, _("Languages you counsel in"))
    session_type = _multi(vocabulary.SESSION_TYPES, _("Session types you offer"))
    photo = forms.FileField(label=_("Photo (optional, PNG or JPEG)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, name in settings.LANGUAGES:
            self.fields[f"bio_{code}"] = forms.CharField(
                label=_("About you, in %(language)s") % {"language": name},
                widget=forms.Textarea(attrs={"rows": 3, "lang": code}),
                max_length=2000,
                required=False,
            )

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if not photo:
            return None
        data = photo.read()
        if validators.sniff_document(data) == "application/pdf":
            raise forms.ValidationError(_("Upload a PNG or JPEG image."))
        photo.seek(0)
        return photo

    def profile_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields = {
            "display_name": data["display_name"],
            "gender": data["gender"],
            "capacity": data["capacity"],
            "accepting": data["accepting"],
            "bio": {
                code: data[f"bio_{code}"] for code, _n in settings.LANGUAGES if data[f"bio_{code}"]
            },
        }
        if data.get("photo"):
            fields["photo"] = data["photo"]
        return fields

    def tags(self) -> dict[str, list[str]]:
        return {
            kind: list(self.cleaned_data[kind])
            for kind in ("specialty", "approach", "language", "session_type")
        }
