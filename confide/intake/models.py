"""Questionnaires are data (versioned JSON definitions, loaded by a data migration from
fixtures/questionnaires.json); responses are encrypted under the client's key (INTAKE-1)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from confide.privacy.fields import EncryptedJSONField
from confide.privacy.inventory import Declared

_HEALTH_HOLD = "clinical_records"
#: A crisis flag is part of the clinical record: kept for the legal hold, never editable.
_CRISIS_FLAG_DATA = Declared(
    "health",
    ["care"],
    "vital_interest",
    "clinical_hold",
    "keep_under_legal_hold",
    law=_HEALTH_HOLD,
    editable=False,
)


class Questionnaire(models.Model):
    key = models.CharField(max_length=40, verbose_name=_("short name"))
    version = models.PositiveIntegerField(verbose_name=_("version"))
    #: Items, answer types, scoring, risk rules and translations; see docs/intake.md.
    definition = models.JSONField(verbose_name=_("questions and scoring"))

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="unique_questionnaire_version")
        ]

    class PersonalData:
        subject = None
        fields: dict[str, Declared] = {}
        not_personal = ["id", "key", "version", "definition"]

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"


class IntakeResponse(models.Model):
    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("response number")
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="intake_responses",
        verbose_name=_("client"),
    )
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, verbose_name=_("questionnaire")
    )
    answers = EncryptedJSONField(verbose_name=_("answers"))
    #: {"score": int, "band": str} for scored questionnaires; {} otherwise.
    result = EncryptedJSONField(verbose_name=_("score"))
    completed_at = models.DateTimeField(default=timezone.now, verbose_name=_("completed on"))

    class Meta:
        verbose_name = _("questionnaire response")
        verbose_name_plural = _("questionnaire responses")
        ordering = ["-completed_at"]

    class PersonalData:
        subject = "client"
        fields = {
            "answers": Declared(
                "health", ["care", "matching"], "explicit_consent", "account_lifetime", "shred"
            ),
            "result": Declared(
                "health", ["care", "matching"], "explicit_consent", "account_lifetime", "shred"
            ),
            "completed_at": Declared(
                "health", ["care"], "explicit_consent", "account_lifetime", "delete", editable=False
            ),
        }
        not_personal = ["id", "client", "questionnaire"]


class VisitorAnswers(models.Model):
    """A visitor's answers before they have an account (INTAKE-1), the self-harm item included:
    never in the session (which holds only the random ``visitor`` token), always sealed under a
    data key of their own. Attached to the account at sign-up and deleted then, or swept a day
    after the last answer; deleting the row destroys its key, so a backup forgets it too."""

    #: Scope of the visitor's data key; its subject is the negative ``subject_id`` below.
    KEY_SCOPE = "visitor_intake"

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("record number")
    )
    visitor = models.CharField(max_length=32, unique=True, verbose_name=_("visit id"))
    #: A random negative number: the subject of the data key, never a user id.
    subject_id = models.BigIntegerField(unique=True, verbose_name=_("key number"))
    #: {"answers": {questionnaire key: answers}, "risks": [rule ids]} as sealed JSON.
    sealed = models.BinaryField(verbose_name=_("answers (encrypted)"))
    updated_at = models.DateTimeField(default=timezone.now, verbose_name=_("last answered on"))

    class Meta:
        verbose_name = _("answers before signing up")
        verbose_name_plural = _("answers before signing up")

    class PersonalData:
        subject = None  # a visitor without an account; attached to one at sign-up
        age_field = "updated_at"
        fields = {
            "sealed": Declared(
                "health", ["matching", "care"], "explicit_consent", "visitor_1_day", "delete"
            ),
            "visitor": Declared(
                "usage", ["matching"], "explicit_consent", "visitor_1_day", "delete"
            ),
            "updated_at": Declared(
                "usage", ["matching"], "explicit_consent", "visitor_1_day", "delete", editable=False
            ),
        }
        not_personal = ["id", "subject_id"]


class IntakeEvent(models.Model):
    """Registration data (INTAKE-1): that a visitor pressed Start, answered a question, or
    finished — never what they answered. First party, necessary purpose."""

    class Kind(models.TextChoices):
        STARTED = "started"
        ANSWERED = "answered"
        FINISHED = "finished"

    kind = models.CharField(max_length=10, choices=Kind.choices, verbose_name=_("step"))
    #: Random per-visit token kept in the session, not the session key itself.
    visitor = models.CharField(max_length=32, db_index=True, verbose_name=_("visit id"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("account"),
    )
    at = models.DateTimeField(default=timezone.now, verbose_name=_("time"))

    class Meta:
        verbose_name = _("questionnaire step")
        verbose_name_plural = _("questionnaire steps")
        constraints = [
            models.UniqueConstraint(fields=["visitor", "kind"], name="one_intake_event_per_kind")
        ]

    class PersonalData:
        subject = "user"
        fields = {
            # Visitors have no contract yet: a necessary, first-party record of the sign-up
            # funnel rests on legitimate interest (INTAKE-1).
            "visitor": Declared(
                "usage", ["account"], "legitimate_interest", "usage_period", "delete"
            ),
            "at": Declared(
                "usage",
                ["account"],
                "legitimate_interest",
                "usage_period",
                "delete",
                editable=False,
            ),
        }
        not_personal = ["id", "kind", "user"]


class CrisisFlag(models.Model):
    """Raised by a risk rule (PHQ-9 item 9, self-reported danger); shown to the client's
    counselor until they mark it seen. Holds the rule that fired, never the answer text."""

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="crisis_flags",
        verbose_name=_("client"),
    )
    source = models.CharField(max_length=30, verbose_name=_("what raised it"))
    raised_at = models.DateTimeField(default=timezone.now, verbose_name=_("raised on"))
    seen_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("seen by the counselor on")
    )

    class Meta:
        verbose_name = _("crisis alert")
        verbose_name_plural = _("crisis alerts")

    class PersonalData:
        subject = "client"
        fields = {
            "source": _CRISIS_FLAG_DATA,
            "raised_at": _CRISIS_FLAG_DATA,
            "seen_at": _CRISIS_FLAG_DATA,
        }
        not_personal = ["id", "client"]
        #: Dates the flag as an entry of the clinical record (its legal period).
        age_field = "raised_at"
