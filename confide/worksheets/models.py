"""Worksheets: structured exercises a client fills between sessions (CARE-6).

The templates are data (fixtures/templates.json, loaded by a data migration), never code. A
worksheet is one copy of a template for one client. Every word in it — the counselor's note, the
client's answers and the counselor's comment — is sealed under the **client's** data key (scope
``care``), so erasing the account shreds it everywhere, backups included.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from confide.privacy.fields import EncryptedJSONField, EncryptedTextField
from confide.privacy.inventory import SHRED, Declared

_CONTENT = Declared("content", ["care"], "explicit_consent", "account_lifetime", SHRED)
_HEALTH = Declared("health", ["care"], "explicit_consent", "account_lifetime", SHRED)


def _kept(category: str = "usage") -> Declared:
    return Declared(
        category, ["care"], "explicit_consent", "account_lifetime", "delete", editable=False
    )


class WorksheetTemplate(models.Model):
    """One version of a template: titles, fields, labels and help text in every language."""

    key = models.CharField(max_length=40, verbose_name=_("short name"))
    version = models.PositiveIntegerField(verbose_name=_("version"))
    #: {"title": {lang: str}, "intro": {lang: str}, "fields": [...]}; see docs/worksheets.md.
    definition = models.JSONField(verbose_name=_("fields and wording"))

    class Meta:
        verbose_name = _("worksheet template")
        verbose_name_plural = _("worksheet templates")
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="unique_worksheet_version")
        ]

    class PersonalData:
        subject = None
        fields: dict[str, Declared] = {}
        not_personal = ["id", "key", "version", "definition"]

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"

    @property
    def fields(self) -> list[dict[str, Any]]:
        return list(self.definition.get("fields", []))


class Worksheet(models.Model):
    """A template handed to one client. ``state`` moves assigned → draft → submitted →
    reviewed; a worksheet the client starts on their own begins as a draft."""

    class State(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned")
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        REVIEWED = "reviewed", _("Reviewed")

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("worksheet number")
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="worksheets",
        verbose_name=_("client"),
    )
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="worksheets_assigned",
        verbose_name=_("counselor"),
    )
    template = models.ForeignKey(
        WorksheetTemplate, on_delete=models.PROTECT, verbose_name=_("worksheet template")
    )
    started_by_client = models.BooleanField(default=False, verbose_name=_("started by client"))
    note = EncryptedTextField(
        key_scope="care", null=True, blank=True, verbose_name=_("counselor's note")
    )
    #: {field id: answer}; text as str, ratings as int, dates as ISO strings.
    answers = EncryptedJSONField(key_scope="care", null=True, blank=True, verbose_name=_("answers"))
    comment = EncryptedTextField(
        key_scope="care", null=True, blank=True, verbose_name=_("counselor's comment")
    )
    due_on = models.DateField(null=True, blank=True, verbose_name=_("due date"))
    state = models.CharField(
        max_length=12, choices=State.choices, default=State.ASSIGNED, verbose_name=_("state")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created on"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("changed on"))
    submitted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("submitted on"))
    reviewed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("reviewed on"))

    class Meta:
        verbose_name = _("worksheet")
        verbose_name_plural = _("worksheets")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["client", "counselor"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["assigned", "draft", "submitted", "reviewed"]),
                name="worksheets_worksheet_state_valid",
            ),
        ]

    class PersonalData:
        subject = "client"
        fields = {
            "counselor": _kept("health"),
            "template": _kept("health"),
            "started_by_client": _kept(),
            "note": _CONTENT,
            "answers": _HEALTH,
            "comment": _CONTENT,
            "due_on": _kept(),
            "state": _kept("health"),
            "created_at": _kept(),
            "updated_at": _kept(),
            "submitted_at": _kept(),
            "reviewed_at": _kept(),
        }
        not_personal = ["id", "client"]

    def answer_map(self) -> dict[str, Any]:
        """The answers as a dict (the sealed JSON field holds a dict or nothing)."""
        value: Any = self.answers
        return dict(value) if isinstance(value, dict) else {}

    @property
    def title(self) -> str:
        """The template's title in the active language."""
        from confide.worksheets.catalog import title

        return title(self.template)

    def is_late(self) -> bool:
        """Assigned or in draft after its due date (for the "overdue" mark)."""
        from django.utils import timezone

        return (
            self.due_on is not None
            and self.state in ("assigned", "draft")
            and self.due_on < timezone.localdate()
        )
