"""Prices per deployment preset and currency, as integer minor units (cents, öre, qindarka).

Amounts are never floats: a price is ``Price(currency, minor)``; :func:`format_amount` is the one
path from an amount to text, formatted for the reader's locale by Babel.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import format_currency, get_currency_precision

CURRENCIES = ("EUR", "SEK", "ALL", "USD")

#: Locale per interface language, for money.
_LOCALES = {"en": "en", "es": "es_ES", "sv": "sv_SE", "sq": "sq_AL"}


@dataclass(frozen=True)
class Price:
    currency: str
    minor: int  # integer minor units

    def __post_init__(self) -> None:
        if self.currency not in CURRENCIES:
            raise ValueError(f"unsupported currency {self.currency}")
        if not isinstance(self.minor, int) or self.minor < 0:
            raise ValueError("a price is a non-negative integer of minor units")


#: preset jurisdiction -> product -> price. ``session``: one session; ``package_5``: five sessions.
PRICES: dict[str, dict[str, Price]] = {
    "ES": {"session": Price("EUR", 4500), "package_5": Price("EUR", 20000)},
    "SE": {"session": Price("SEK", 65000), "package_5": Price("SEK", 300000)},
    "AL": {"session": Price("ALL", 2500), "package_5": Price("ALL", 11000)},
    "US": {"session": Price("USD", 9000), "package_5": Price("USD", 40000)},
}

#: How many sessions each product grants.
SESSIONS = {"session": 1, "package_5": 5}


def price_for(jurisdiction: str, product: str) -> Price:
    """The price of ``product`` under a preset's jurisdiction; KeyError for an unknown product."""
    table = PRICES.get(jurisdiction, PRICES["ES"])
    return table[product]


def format_amount(minor: int, currency: str, language: str) -> str:
    """``minor`` units of ``currency`` as text in ``language``'s locale (Babel)."""
    digits = get_currency_precision(currency)
    value = Decimal(minor).scaleb(-digits)
    return format_currency(value, currency, locale=_LOCALES.get(language, "en"))
