"""The age rule (ACC-8): pure date arithmetic, property-tested at its boundaries."""

from __future__ import annotations

from datetime import date


def age_on(born: date, today: date) -> int:
    """Completed years on ``today``. Someone born on 29 February turns a year older on
    1 March in common years (the day after 28 February), as most civil codes count it."""
    years = today.year - born.year
    if (today.month, today.day) < (born.month, born.day):
        years -= 1
    return years


def is_old_enough(born: date, today: date, minimum_age: int) -> bool:
    return age_on(born, today) >= minimum_age
