"""The time-zone picker: canonical zones only, grouped by region, common zones first.

``zoneinfo.available_timezones()`` also returns ~150 backward-compatibility aliases ("GB-Eire",
"US/Eastern") and "Factory"; a person should pick a place, so the list is the zones tzdata's
``zone.tab`` names for some country, plus UTC. Labels start with the city, so a native
``<select>`` finds "Madrid" as soon as the person types "Mad" (type-ahead).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

#: Shown first: the zones of the operators Confide ships presets for, then UTC.
COMMON = (
    "Europe/Madrid",
    "Europe/Stockholm",
    "Europe/Tirane",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "Europe/London",
    "UTC",
)

REGIONS: dict[str, Any] = {
    "Africa": _("Africa"),
    "America": _("Americas"),
    "Antarctica": _("Antarctica"),
    "Arctic": _("Arctic"),
    "Asia": _("Asia"),
    "Atlantic": _("Atlantic Ocean"),
    "Australia": _("Australia"),
    "Europe": _("Europe"),
    "Indian": _("Indian Ocean"),
    "Pacific": _("Pacific Ocean"),
}


@cache  # read from the installed tzdata once; it does not change while the process runs
def canonical_zones() -> frozenset[str]:
    table = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    rows = (line.split("\t") for line in table.splitlines() if line and line[0] != "#")
    return frozenset({row[2] for row in rows if len(row) > 2} | {"UTC"})


def place_label(name: str) -> str:
    """``America/Argentina/Buenos_Aires`` → ``Argentina / Buenos Aires`` (region dropped)."""
    _region, _slash, place = name.partition("/")
    return (place or name).replace("_", " ").replace("/", " / ")


def zone_choices(current: str = "") -> list[tuple[Any, Any]]:
    """Grouped choices for a ``ChoiceField``. ``current`` (the saved value) is always offered,
    so a person whose zone is an old alias can still save the form unchanged."""
    zones = canonical_zones()
    common = [name for name in dict.fromkeys([current, *COMMON]) if name]
    common_group = [(name, _common_label(name)) for name in common]
    grouped: list[tuple[Any, Any]] = [(_("Common time zones"), common_group)]
    for region, label in REGIONS.items():
        names = sorted(z for z in zones if z.startswith(f"{region}/") and z not in common)
        grouped.append((label, sorted(((z, place_label(z)) for z in names), key=_by_label)))
    return grouped


def _common_label(name: str) -> Any:
    """``Madrid (Europe)``: the city first, for type-ahead, and the region, translated."""
    region = REGIONS.get(name.partition("/")[0])
    return format_lazy("{} ({})", place_label(name), region) if region else place_label(name)


def _by_label(choice: tuple[str, str]) -> str:
    return choice[1]
