"""Showing instants to people: always in the viewer's zone, always with the zone named."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.formats import date_format
from django.utils.translation import gettext

from confide.scheduling.slots import zone


def viewer_zone(user: Any) -> ZoneInfo:
    """The user's own zone; for a counselor who never set one, the zone of their working
    hours; else the preset's default."""
    name = getattr(user, "timezone", "") or ""
    if not name and getattr(user, "role", "") == "counselor":
        from confide.scheduling.models import Availability

        name = (
            Availability.objects.filter(counselor=user).values_list("timezone", flat=True).first()
            or ""
        )
    return zone(name)


def zone_label(moment: datetime, tz: ZoneInfo) -> str:
    """``Europe/Madrid, CET``: the IANA name plus the abbreviation in force at that moment."""
    local = moment.astimezone(tz)
    abbreviation = local.tzname() or ""
    if not abbreviation or abbreviation.lstrip("+-").isdigit():
        return tz.key
    return f"{tz.key}, {abbreviation}"


def when(moment: datetime, tz: ZoneInfo) -> str:
    """A whole phrase in the active language, e.g. "Monday 23 November 2026 at 10:00
    (Europe/Madrid, CET)"."""
    local = moment.astimezone(tz)
    return gettext("%(weekday)s %(date)s at %(time)s (%(zone)s)") % {
        "weekday": date_format(local, "l"),
        "date": date_format(local, "DATE_FORMAT"),
        "time": date_format(local, "H:i"),
        "zone": zone_label(moment, tz),
    }


def clock(moment: datetime, tz: ZoneInfo) -> str:
    return date_format(moment.astimezone(tz), "H:i")
