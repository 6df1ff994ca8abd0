"""Template filters: ``{{ booking.starts_at|when_in:tz }}`` and ``{{ slot|clock_in:tz }}``."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django import template

from confide.scheduling import display

register = template.Library()


@register.filter
def when_in(moment: datetime | None, tz: ZoneInfo) -> str:
    return display.when(moment, tz) if moment else ""


@register.filter
def clock_in(moment: datetime, tz: ZoneInfo) -> str:
    return display.clock(moment, tz)


@register.filter
def zone_label(moment: datetime, tz: ZoneInfo) -> str:
    return display.zone_label(moment, tz)
