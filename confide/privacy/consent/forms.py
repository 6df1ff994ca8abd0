from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from confide.privacy.consent.models import ConsentDecision


class CookieChoiceForm(forms.Form):
    """The banner and the preferences page post the same form."""

    action = forms.ChoiceField(
        choices=[
            (ConsentDecision.Method.ACCEPT_ALL, _("Accept all")),
            (ConsentDecision.Method.REJECT_ALL, _("Reject all")),
            (ConsentDecision.Method.CUSTOM, _("Save my choices")),
        ]
    )
    functional = forms.BooleanField(required=False, label=_("Functional"))
    analytics = forms.BooleanField(required=False, label=_("Statistics"))
    targeting = forms.BooleanField(required=False, label=_("Advertising"))
    next = forms.CharField(required=False, max_length=300)


class AcceptForm(forms.Form):
    agree = forms.BooleanField(
        required=True,
        label=_("I have read and accept the updated privacy policy and terms."),
        error_messages={"required": _("Please tick the box to accept, or sign out.")},
    )
    next = forms.CharField(required=False, max_length=300)


class MarketingForm(forms.Form):
    subscribed = forms.BooleanField(
        required=False, label=_("Send me occasional news about Confide by email.")
    )
