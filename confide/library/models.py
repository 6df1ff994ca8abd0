"""The library (CARE-8): courses and documents staff publish for members.

The content (``Item``, ``Module``) is written by staff and is not about anyone: only its author
column is personal data. What members do with it is: ``Progress`` (which modules someone has
finished) and ``Recommendation`` (a counselor suggesting an item to their client) say what a
person is working on, so both are declared as health data, exported and erased with the account.
Files are kept through Django's storage API under random names and served only by
``views.download`` after an access check (never a public media URL).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from confide.privacy.inventory import ANONYMIZE, DELETE, Declared

LANGUAGE_CHOICES = [(code, name) for code, name in settings.LANGUAGES]

_AUTHOR = Declared("identity", ["care"], "contract", "account_lifetime", ANONYMIZE, editable=False)


def _member(category: str = "usage") -> Declared:
    # What someone reads or is recommended can reveal a care need: health data rests on the
    # explicit consent to care, like every other health field (the policy says so).
    basis = "explicit_consent" if category == "health" else "contract"
    return Declared(category, ["care"], basis, "account_lifetime", DELETE, editable=False)


class Item(models.Model):
    """A course (an ordered list of modules) or a document (one file or a text)."""

    class Kind(models.TextChoices):
        COURSE = "course", _("Course")
        DOCUMENT = "document", _("Document")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("item number")
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, verbose_name=_("kind"))
    language = models.CharField(max_length=5, choices=LANGUAGE_CHOICES, verbose_name=_("language"))
    translation_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="translations",
        verbose_name=_("translation of"),
    )
    title = models.CharField(max_length=200, verbose_name=_("title"))
    summary = models.TextField(max_length=1000, blank=True, verbose_name=_("summary"))
    body = models.TextField(blank=True, verbose_name=_("text"))
    file_name = models.CharField(max_length=200, blank=True, verbose_name=_("stored file"))
    file_type = models.CharField(max_length=40, blank=True, verbose_name=_("file type"))
    file_size = models.PositiveBigIntegerField(default=0, verbose_name=_("file size"))
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, verbose_name=_("status")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="library_items",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created on"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("changed on"))
    published_at = models.DateTimeField(null=True, blank=True, verbose_name=_("published on"))

    class Meta:
        verbose_name = _("library item")
        verbose_name_plural = _("library items")
        ordering = ["title"]

    class PersonalData:
        subject = "author"
        fields = {"author": _AUTHOR}
        not_personal = [
            "id", "kind", "language", "translation_of", "title", "summary", "body", "file_name",
            "file_type", "file_size", "status", "created_at", "updated_at", "published_at",
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.title

    @property
    def published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def group_id(self) -> uuid.UUID:
        """The original every translation points to: one id per piece of content."""
        return self.translation_of_id or self.pk


class Module(models.Model):
    """One step of a course: a text (safe Markdown), an audio or video file, or a PDF; any
    module may also name a YouTube or Vimeo video, embedded only with functional consent."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        AUDIO = "audio", _("Audio")
        VIDEO = "video", _("Video")
        PDF = "pdf", _("PDF")

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("module number")
    )
    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="modules", verbose_name=_("course")
    )
    position = models.PositiveIntegerField(default=0, verbose_name=_("position"))
    kind = models.CharField(max_length=10, choices=Kind.choices, verbose_name=_("kind"))
    title = models.CharField(max_length=200, verbose_name=_("title"))
    body = models.TextField(blank=True, verbose_name=_("text"))
    embed_url = models.URLField(blank=True, verbose_name=_("YouTube or Vimeo address"))
    file_name = models.CharField(max_length=200, blank=True, verbose_name=_("stored file"))
    file_type = models.CharField(max_length=40, blank=True, verbose_name=_("file type"))
    file_size = models.PositiveBigIntegerField(default=0, verbose_name=_("file size"))

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["item", "position"]

    class PersonalData:
        subject = None
        fields: dict[str, Declared] = {}
        not_personal = [
            "id", "item", "position", "kind", "title", "body", "embed_url", "file_name",
            "file_type", "file_size",
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.title


class Progress(models.Model):
    """A member finished one module."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="library_progress",
        verbose_name=_("member"),
    )
    module = models.ForeignKey(Module, on_delete=models.CASCADE, verbose_name=_("module"))
    completed_at = models.DateTimeField(auto_now_add=True, verbose_name=_("finished on"))

    class Meta:
        verbose_name = _("library progress")
        verbose_name_plural = _("library progress")
        constraints = [
            models.UniqueConstraint(fields=["member", "module"], name="library_progress_once")
        ]

    class PersonalData:
        subject = "member"
        fields = {"module": _member("health"), "completed_at": _member()}
        not_personal = ["id", "member"]


class Recommendation(models.Model):
    """A counselor suggests an item to one of their own clients."""

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="library_recommendations",
        verbose_name=_("client"),
    )
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="library_recommended",
        verbose_name=_("counselor"),
    )
    item = models.ForeignKey(Item, on_delete=models.CASCADE, verbose_name=_("library item"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("recommended on"))

    class Meta:
        verbose_name = _("library recommendation")
        verbose_name_plural = _("library recommendations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["client", "item"], name="library_recommend_once")
        ]

    class PersonalData:
        subject = "client"
        fields = {
            "counselor": _member("health"),
            "item": _member("health"),
            "created_at": _member(),
        }
        not_personal = ["id", "client"]
