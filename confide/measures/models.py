"""Measures over time: a counselor asks one client to fill PHQ-9 or GAD-7 every few weeks.

The questionnaires, their scoring and their risk rules are intake's (``confide.intake.engine``);
this app keeps only when a measure is due and what the client answered. The answers and the
score are sealed under the **client's** data key (scope ``care``), so erasing the account shreds
them everywhere, backups included. Which measure a schedule asks for is health data too: it is
declared so, and never leaves the platform in a reminder (the e-mail names no measure).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from confide.privacy.fields import EncryptedJSONField
from confide.privacy.inventory import SHRED, Declared

_HEALTH = Declared("health", ["care"], "explicit_consent", "account_lifetime", SHRED)

#: The intake questionnaires a counselor may schedule (keys of intake's definitions).
MEASURES = ("phq9", "gad7")


def _kept(category: str = "usage") -> Declared:
    return Declared(
        category, ["care"], "explicit_consent", "account_lifetime", "delete", editable=False
    )


class MeasureSchedule(models.Model):
    """ "PHQ-9 every 2 weeks from 5 January": occurrences fall on ``starts_on`` plus whole
    multiples of ``every_weeks`` weeks, as calendar dates in the client's zone (so the weekday
    never drifts across a DST change)."""

    class Measure(models.TextChoices):
        PHQ9 = "phq9", _("PHQ-9 (mood)")
        GAD7 = "gad7", _("GAD-7 (anxiety)")

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("schedule number")
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="measure_schedules",
        verbose_name=_("client"),
    )
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="measure_schedules_set",
        verbose_name=_("counselor"),
    )
    measure = models.CharField(
        max_length=12, choices=Measure.choices, verbose_name=_("questionnaire")
    )
    every_weeks = models.PositiveSmallIntegerField(verbose_name=_("every how many weeks"))
    starts_on = models.DateField(verbose_name=_("first due date"))
    active = models.BooleanField(default=True, db_index=True, verbose_name=_("active"))
    reminded_for = models.DateField(null=True, blank=True, verbose_name=_("last reminder for"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created on"))
    ended_at = models.DateTimeField(null=True, blank=True, verbose_name=_("stopped on"))

    class Meta:
        verbose_name = _("measure schedule")
        verbose_name_plural = _("measure schedules")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["client", "active"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(every_weeks__gte=1, every_weeks__lte=12),
                name="measures_schedule_every_weeks_1_12",
            ),
            models.CheckConstraint(
                condition=models.Q(measure__in=list(MEASURES)), name="measures_schedule_measure"
            ),
        ]

    class PersonalData:
        subject = "client"
        fields = {
            "counselor": _kept("health"),
            "measure": _kept("health"),
            "every_weeks": _kept(),
            "starts_on": _kept(),
            "active": _kept(),
            "reminded_for": _kept(),
            "created_at": _kept(),
            "ended_at": _kept(),
        }
        not_personal = ["id", "client"]


class MeasureResult(models.Model):
    """One filled questionnaire: the answers and the score, both sealed. ``due_on`` ties it to
    the occurrence it answered, so the same occurrence is not asked for twice."""

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("result number")
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="measure_results",
        verbose_name=_("client"),
    )
    schedule = models.ForeignKey(
        MeasureSchedule,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="results",
        verbose_name=_("schedule"),
    )
    measure = models.CharField(max_length=12, verbose_name=_("questionnaire"))
    version = models.PositiveSmallIntegerField(verbose_name=_("questionnaire version"))
    due_on = models.DateField(verbose_name=_("due date"))
    answers = EncryptedJSONField(key_scope="care", verbose_name=_("answers"))
    result = EncryptedJSONField(key_scope="care", verbose_name=_("score"))
    completed_at = models.DateTimeField(
        auto_now_add=True, db_index=True, verbose_name=_("filled on")
    )

    class Meta:
        verbose_name = _("measure result")
        verbose_name_plural = _("measure results")
        ordering = ["completed_at"]
        indexes = [models.Index(fields=["client", "measure"])]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "due_on"], name="measures_result_once_per_occurrence"
            ),
        ]

    class PersonalData:
        subject = "client"
        fields = {
            "schedule": _kept("health"),
            "measure": _kept("health"),
            "version": _kept(),
            "due_on": _kept(),
            "answers": _HEALTH,
            "result": _HEALTH,
            "completed_at": _kept(),
        }
        not_personal = ["id", "client"]
