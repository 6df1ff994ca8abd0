"""Every date and time a person sees: in their zone, with the zone named, in their language.

This module is the one path for it (docs/time.md). Pages use the ``when`` filter
(``{% load times %}``) and get the zone :class:`~confide.core.middleware.UserTimezoneMiddleware`
activated for the viewer; e-mails and SMS are rendered inside :func:`for_person` (the
recipient's zone and language); other code calls :func:`when` with an explicit zone.
Machine-readable output (data.json, iCalendar, the audit chain, ``<time datetime>``) stays
ISO 8601 and is never shown as text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, tzinfo
from functools import cache, lru_cache
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext, pgettext

from confide.presets import current_preset

Style = Literal["full", "short", "date", "clock"]
Moment = datetime | date | time | str

#: Functions ``user -> zone name or ""`` asked, in order, when a user never chose a zone.
_FALLBACKS: list[Callable[[Any], str]] = []


def register_zone_fallback(fallback: Callable[[Any], str]) -> None:
    """Let a domain say which zone a user who never chose one lives in (scheduling: the zone of
    a counselor's working hours). Call from ``AppConfig.ready()``; the kernel imports no domain."""
    if fallback not in _FALLBACKS:
        _FALLBACKS.append(fallback)


@cache
def zone(name: str) -> ZoneInfo:
    """The named zone, or the preset's default for an empty or unknown name."""
    try:
        return ZoneInfo(name) if name else ZoneInfo(current_preset().default_timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(current_preset().default_timezone)


def user_zone(user: Any) -> ZoneInfo:
    """The user's chosen zone; else the first registered fallback's answer; else the preset's
    default (also for anonymous visitors)."""
    name = getattr(user, "timezone", "") or ""
    if not name and getattr(user, "is_authenticated", False):
        name = next((found for fallback in _FALLBACKS if (found := fallback(user))), "")
    return zone(name)


def user_language(user: Any) -> str:
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


@contextmanager
def for_person(user: Any, language: str | None = None) -> Iterator[ZoneInfo]:
    """Render for ``user`` outside a request (e-mail, SMS, a websocket frame): their zone and
    their language are active inside the block."""
    tz = user_zone(user)
    with timezone.override(tz), translation.override(language or user_language(user)):
        yield tz


def current_zone() -> tzinfo:
    return timezone.get_current_timezone()


def zone_name(tz: tzinfo) -> str:
    return getattr(tz, "key", None) or str(tz)


def zone_label(moment: datetime, tz: tzinfo) -> str:
    """``Europe/Madrid, CET``: the IANA name plus the abbreviation in force at that moment
    (numeric abbreviations such as ``+14`` add nothing and are left out)."""
    abbreviation = moment.astimezone(tz).tzname() or ""
    if not abbreviation or abbreviation.lstrip("+-").isdigit() or abbreviation == zone_name(tz):
        return zone_name(tz)
    return f"{zone_name(tz)}, {abbreviation}"


def _parse(moment: Moment) -> datetime | date | time:
    """Receipts and exports keep instants as ISO strings in JSON; accept those too."""
    if isinstance(moment, str):
        parsed = datetime.fromisoformat(moment)
        if len(moment) == 10:
            return parsed.date()
        return parsed
    return moment


def when(moment: Moment | None, style: Style = "full", tz: tzinfo | None = None) -> str:
    """``moment`` for a person, in ``tz`` (default: the active zone) and the active language.

    - ``full``: "Monday 23 November 2026 at 10:00 (Europe/Madrid, CET)"
    - ``short``: "Mon 23 Nov 2026, 10:00 (Europe/Madrid)", for lists and chat
    - ``date``: "Monday 23 November 2026", the calendar date in that zone
    - ``clock``: "10:00", only next to a phrase that already names the day and the zone

    A ``date`` is a calendar date already and is not moved between zones.
    """
    if moment is None or moment == "":
        return ""
    value = _parse(moment)
    if isinstance(value, time):
        return time_format(value, "H:i")
    if not isinstance(value, datetime):
        return _day(value)
    tz = tz or current_zone()
    if timezone.is_naive(value):
        value = timezone.make_aware(value, ZoneInfo("UTC"))
    local = value.astimezone(tz)
    clock = f"{local.hour:02d}:{local.minute:02d}"  # "H:i": the same in every language
    if style == "clock":
        return clock
    if style == "date":
        return _day(local.date())
    day, language = local.date(), translation.get_language() or ""
    if style == "short":
        return gettext("%(date)s, %(time)s (%(zone)s)") % {
            # Translators: a short date in Django's date-format letters (D weekday, j day,
            # M month, Y year), e.g. "Mon 23 Nov 2026".
            "date": _formatted(day, pgettext("short date format", "D j M Y"), language),
            "time": clock,
            "zone": zone_name(tz),
        }
    return gettext("%(weekday)s %(date)s at %(time)s (%(zone)s)") % {
        "weekday": _formatted(day, "l", language),
        "date": _formatted(day, "DATE_FORMAT", language),
        "time": clock,
        "zone": zone_label(value, tz),
    }


@lru_cache(maxsize=4096)
def _formatted(day: date, fmt: str, language: str) -> str:
    """A calendar date's words in a language (a list page shows many rows of few dates: the
    month and weekday names are looked up once per date, not once per row)."""
    return date_format(day, fmt)


def _day(day: date) -> str:
    language = translation.get_language() or ""
    return f"{_formatted(day, 'l', language)} {_formatted(day, 'DATE_FORMAT', language)}"
