"""Staff forms for items and modules. The upload is checked in ``clean`` (uploads.check), so a
refused file re-renders the form with everything typed still in place."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from confide.library import services, uploads
from confide.library.models import Item, Module


def _upload_help() -> str:
    """The limits as they are set (settings LIBRARY_MAX_PDF_MB, LIBRARY_MAX_MEDIA_MB)."""
    return _("PDF up to %(pdf)d MB; MP3, M4A, MP4 or WebM up to %(media)d MB.") % {
        "pdf": uploads.max_bytes("pdf") // uploads.MB,
        "media": uploads.max_bytes("video") // uploads.MB,
    }


class _UploadMixin(forms.Form):
    upload = forms.FileField(required=False, label=_("File"))

    detected: str = ""

    def _help_upload(self) -> None:
        self.fields["upload"].help_text = _upload_help()

    def _check_upload(self, kinds: set[str]) -> None:
        upload = self.cleaned_data.get("upload")
        if upload is None:
            return
        try:
            self.detected = uploads.check(upload, kinds)
        except uploads.UploadError as exc:
            self.add_error("upload", exc.message)


class ItemForm(forms.ModelForm, _UploadMixin):
    class Meta:
        model = Item
        fields = ["kind", "language", "translation_of", "title", "summary", "body"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"body": _("For a document without a file. Markdown is allowed.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = Item.objects.filter(translation_of__isnull=True)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["translation_of"].queryset = others  # type: ignore[attr-defined]
        self._help_upload()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        original = data.get("translation_of")
        if original is not None and (
            original.language == data.get("language") or original.kind != data.get("kind")
        ):
            self.add_error(
                "translation_of",
                _("A translation is of the same kind as its original, in another language."),
            )
        if data.get("upload") is not None and data.get("kind") != Item.Kind.DOCUMENT:
            self.add_error("upload", _("Only a document has a file; a course has modules."))
        else:
            self._check_upload({"pdf", "audio", "video"})
        return data


class ModuleForm(forms.ModelForm, _UploadMixin):
    embed_url = forms.URLField(
        required=False,
        assume_scheme="https",
        label=_("YouTube or Vimeo address"),
        help_text=_("Optional. Shown as a link until the reader allows functional cookies."),
    )

    class Meta:
        model = Module
        fields = ["kind", "title", "body", "embed_url", "position"]
        help_texts = {
            "body": _("Markdown is allowed."),
            "position": _("Modules are shown in this order. Leave 0 to add it at the end."),
            "embed_url": _("Optional. Shown as a link until the reader allows functional cookies."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._help_upload()

    def clean_embed_url(self) -> str:
        url = str(self.cleaned_data.get("embed_url") or "")
        if not services.valid_embed(url):
            raise forms.ValidationError(_("Enter a YouTube or Vimeo video address."))
        return url

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind in (Module.Kind.AUDIO, Module.Kind.VIDEO, Module.Kind.PDF):
            self._check_upload({str(kind)})
            needs_file = not self.instance.file_name and not data.get("embed_url")
            if data.get("upload") is None and needs_file and "upload" not in self.errors:
                self.add_error("upload", _("Choose a file for this module."))
        elif data.get("upload") is not None:
            self.add_error("upload", _("A text module has no file."))
        return data
