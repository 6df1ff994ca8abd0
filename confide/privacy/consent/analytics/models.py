"""First-party visitor analytics (LOG-1): stored only with analytics consent, kept for the
preset's usage period. No content: paths are stripped of ids, IPs truncated, error messages
reduced to their type."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from confide.privacy.inventory import Declared

_USAGE = Declared("usage", ["analytics"], "consent", "usage_period", "delete")
_NETWORK = Declared("network", ["analytics"], "consent", "usage_period", "delete")


class PageView(models.Model):
    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("page view number")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("account"),
    )
    visitor_id = models.CharField(
        max_length=64, blank=True, db_index=True, verbose_name=_("visitor id")
    )
    #: Route pattern or path with numbers and uuids replaced, never a query string.
    path = models.CharField(max_length=200, verbose_name=_("page"))
    #: "search", "social", "direct", "referral:<host>", "campaign:<name>" or a survey answer.
    referral_source = models.CharField(max_length=120, blank=True, verbose_name=_("came from"))
    browser = models.CharField(max_length=30, verbose_name=_("browser"))
    device_class = models.CharField(max_length=20, verbose_name=_("device type"))
    ip_truncated = models.CharField(
        max_length=45, blank=True, verbose_name=_("shortened IP address")
    )
    language = models.CharField(max_length=8, blank=True, verbose_name=_("language"))
    started_at = models.DateTimeField(
        default=timezone.now, db_index=True, verbose_name=_("viewed on")
    )
    duration_ms = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("time on the page (milliseconds)")
    )

    class Meta:
        verbose_name = _("page view")
        verbose_name_plural = _("page views")

    class PersonalData:
        subject = "user"
        fields = {
            "visitor_id": _USAGE,
            "path": _USAGE,
            "referral_source": _USAGE,
            "browser": _NETWORK,
            "device_class": _NETWORK,
            "ip_truncated": _NETWORK,
            "language": _USAGE,
            "started_at": _USAGE,
            "duration_ms": _USAGE,
        }
        not_personal = ["id", "user"]


class FrontendError(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("account"),
    )
    path = models.CharField(max_length=200, verbose_name=_("page"))
    #: The error's type name only ("TypeError"): messages can quote what someone typed.
    kind = models.CharField(max_length=60, verbose_name=_("kind of error"))
    source = models.CharField(max_length=200, blank=True, verbose_name=_("script"))
    line = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("line"))
    browser = models.CharField(max_length=30, verbose_name=_("browser"))
    occurred_at = models.DateTimeField(default=timezone.now, verbose_name=_("occurred on"))

    class Meta:
        verbose_name = _("page error")
        verbose_name_plural = _("page errors")

    class PersonalData:
        subject = "user"
        age_field = "occurred_at"  # for the retention sweep (usage period)
        fields = {
            "path": _USAGE,
            "kind": _USAGE,
            "source": _USAGE,
            "line": _USAGE,
            "browser": _NETWORK,
            "occurred_at": _USAGE,
        }
        not_personal = ["id", "user"]
