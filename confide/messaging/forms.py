from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from confide.messaging.services import MAX_ATTACHMENT, MAX_BODY, Attachment


class MessageForm(forms.Form):
    """The no-JavaScript path; the service validates again (one set of rules)."""

    body = forms.CharField(
        label=_("Your message"),
        required=False,
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attachment = forms.FileField(
        label=_("Attach a file (optional)"),
        required=False,
        help_text=_("PNG, JPEG, PDF or plain text, up to 5 MB."),
    )

    def uploaded(self) -> Attachment | None:
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        # One byte past the limit is enough for the service to refuse it with its message.
        data = upload.read(MAX_ATTACHMENT + 1)
        return Attachment(upload.name or "", upload.content_type or "", data)
