"""Goals and journal entries: the client's work between sessions (CARE-6).

Every word the client or counselor writes (a goal's title, why and steps; a journal entry's text,
mood and tags) is sealed under the **client's** data key (scope ``care``), so erasing the account
shreds it everywhere, backups included. Goal state changes keep their times; counts of them go to
the sign-in record (LOG-2), never their text.
"""

from __future__ import annotations

import uuid

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


class Goal(models.Model):
    """A goal a counselor set with one client, or one the client proposed and the counselor
    accepted. ``state`` moves proposed → assigned → started → completed, or to dropped."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ASSIGNED = "assigned", _("Assigned")
        STARTED = "started", _("Started")
        COMPLETED = "completed", _("Completed")
        DROPPED = "dropped", _("Dropped")

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("goal number")
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="care_goals",
        verbose_name=_("client"),
    )
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="care_goals_set",
        verbose_name=_("counselor"),
    )
    proposed_by_client = models.BooleanField(default=False, verbose_name=_("proposed by client"))
    title = EncryptedTextField(key_scope="care", verbose_name=_("goal"))
    why = EncryptedTextField(key_scope="care", verbose_name=_("why it matters"))
    steps = EncryptedTextField(key_scope="care", null=True, blank=True, verbose_name=_("steps"))
    due_on = models.DateField(null=True, blank=True, verbose_name=_("due date"))
    state = models.CharField(
        max_length=12, choices=State.choices, default=State.ASSIGNED, verbose_name=_("state")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created on"))
    assigned_at = models.DateTimeField(null=True, blank=True, verbose_name=_("assigned on"))
    started_at = models.DateTimeField(null=True, blank=True, verbose_name=_("started on"))
    completed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("completed on"))
    dropped_at = models.DateTimeField(null=True, blank=True, verbose_name=_("dropped on"))

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["client", "counselor"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    state__in=["proposed", "assigned", "started", "completed", "dropped"]
                ),
                name="care_goal_state_valid",
            ),
        ]

    class PersonalData:
        subject = "client"
        fields = {
            "counselor": _kept("health"),
            "proposed_by_client": _kept(),
            "title": _CONTENT,
            "why": _CONTENT,
            "steps": _CONTENT,
            "due_on": _kept(),
            "state": _kept("health"),
            "created_at": _kept(),
            "assigned_at": _kept(),
            "started_at": _kept(),
            "completed_at": _kept(),
            "dropped_at": _kept(),
        }
        not_personal = ["id", "client"]

    def history(self) -> list[tuple[str, object]]:
        """(state label, moment) for every change so far, oldest first."""
        steps = [
            (_("Proposed") if self.proposed_by_client else _("Created"), self.created_at),
            (_("Assigned"), self.assigned_at),
            (_("Started"), self.started_at),
            (_("Completed"), self.completed_at),
            (_("Dropped"), self.dropped_at),
        ]
        return [(str(label), moment) for label, moment in steps if moment is not None]


class JournalEntry(models.Model):
    """One journal entry of a client: private until the client shares it with their counselor
    (``shared_with``), and private again the moment they unshare it."""

    class Mood(models.TextChoices):
        VERY_LOW = "very_low", _("Very low")
        LOW = "low", _("Low")
        OKAY = "okay", _("Okay")
        GOOD = "good", _("Good")
        VERY_GOOD = "very_good", _("Very good")

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("entry number")
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="journal_entries",
        verbose_name=_("client"),
    )
    body = EncryptedTextField(key_scope="care", verbose_name=_("entry"))
    markdown = models.BooleanField(default=False, verbose_name=_("formatted with Markdown"))
    mood = EncryptedTextField(key_scope="care", null=True, blank=True, verbose_name=_("mood"))
    tags = EncryptedJSONField(key_scope="care", null=True, blank=True, verbose_name=_("tags"))
    shared_with = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="journal_entries_shared",
        verbose_name=_("shared with"),
    )
    shared_at = models.DateTimeField(null=True, blank=True, verbose_name=_("shared on"))
    created_at = models.DateTimeField(
        auto_now_add=True, db_index=True, verbose_name=_("written on")
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("changed on"))

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["shared_with", "client"])]

    class PersonalData:
        subject = "client"
        fields = {
            "body": _CONTENT,
            "markdown": _kept("preferences"),
            "mood": _HEALTH,
            "tags": _CONTENT,
            "shared_with": _kept("health"),
            "shared_at": _kept(),
            "created_at": _kept(),
            "updated_at": _kept(),
        }
        not_personal = ["id", "client"]
