"""No English reaches a page in another language: every public and signed-in page is rendered in
each language through the test client and compared with its English render. A text node or
accessible name (aria-label, alt, title, placeholder) identical to the English render is a
leftover — untranslated, unmarked, or taken from the wrong catalog — unless it is a proper name,
a code or a word the language shares with English (allowlisted below). English spliced into a
translated sentence counts too: a run of four English words inside a longer text."""

from __future__ import annotations

import re
import zoneinfo
from functools import cache
from typing import Any

import pytest
from django.test import Client

from tests.i18n.scan import visible_texts
from tests.test_route_matrix import all_routes

pytestmark = pytest.mark.django_db

LANGUAGES = ("es", "sv", "sq")
#: A run of this many words found in the English render counts even inside a longer text: it
#: catches English spliced into a translated sentence ("según: health-records law of …").
RUN_WORDS = 4
#: Identical in every language on purpose: the personas' own data and proper names.
ALLOWED = frozenset(
    {
        "Confide",
        "Ana",  # the personas' nicknames and names
        "Sam",
        "Carmen Ruiz",
        "Test key",  # the persona's passkey, named by them
        "English",  # language names, each in its own language
        "Español",
        "Svenska",
        "Shqip",
        "IBAN",
        "Cookie",  # the cookie table's column: the same word in es, sv and sq
        "messages",  # a cookie's name (Django's messages framework)
    }
)
#: Words a language shares with English, so identical is right.
SAME_WORD = {
    "es": {"Albania", "chat", "trauma"},
    "sv": {"Version", "— version 1", "depression", "man", "trauma", "video", "Status", "Text:",
           # Swedish clinicians use the English name of the method (1177 Vårdguiden does too).
           "acceptance and commitment therapy (ACT)"},
    "sq": {"trauma", "video"},
}  # fmt: skip
#: Codes and data that read the same everywhere: e-mail addresses, cookie names, dates and
#: times in numbers, a day and a month abbreviation Django formats the same ("30 Nov").
_CODE = re.compile(r"^(\S+@\S+|[\w*-]*[_*][\w*-]*|[\d/:. ,]+[ap]\.m\.|\d{1,2} [A-Z][a-z]{2})$")
#: Not pages a person reads in their language (machine endpoints, Django's admin, debug tools).
_SKIPPED_PREFIXES = ("admin/", "dev/", "healthz", "bench/", "i18n/", "audit/verify")


def _pages() -> list[str]:
    paths = []
    for route in all_routes():
        if "<" in route.path or route.path.startswith(("^", *_SKIPPED_PREFIXES)):
            continue
        paths.append("/" + route.path)
    return sorted(set(paths))


@cache
def _zone_names() -> frozenset[str]:
    """Zone identifiers and the picker's place names (``Buenos Aires``, ``Argentina / Salta``):
    the tz database's own names of places, which no language here translates."""
    from confide.core.zones import place_label

    zones = zoneinfo.available_timezones()
    return frozenset(
        zones | {zone.replace("_", " ") for zone in zones} | {place_label(z) for z in zones}
    )


def _allowed(text: str, language: str) -> bool:
    """Time-zone identifiers and places are named as the tz database names them;
    sessionid/csrftoken-like names have no letters a translator could change."""
    return (
        not any(char.isalpha() for char in text)  # numbers, symbols, "—"
        or text in ALLOWED
        or text in SAME_WORD.get(language, ())
        or text in _zone_names()
        or bool(_CODE.match(text))
        or text in {"sessionid", "csrftoken"}
    )


def _runs(text: str) -> set[str]:
    """Runs of RUN_WORDS words with at least three lower-case words in them (codes such as
    "ES, SE, AL, US-NY" or a time like "3, 2026, 2:09 p.m." read the same in every language)."""
    words = text.split()
    runs = (words[i : i + RUN_WORDS] for i in range(len(words) - RUN_WORDS + 1))
    real = [
        run for run in runs if sum(w.strip(".,:;()").isalpha() and w.islower() for w in run) >= 3
    ]
    return {" ".join(run) for run in real}


def english_in(texts: set[str], english: set[str], language: str) -> list[str]:
    """Texts identical to an English text of the same page, or holding a run of its words."""
    english_runs = set().union(*(_runs(text) for text in english if not _allowed(text, language)))
    found = [
        text
        for text in texts
        if not _allowed(text, language) and (text in english or _runs(text) & english_runs)
    ]
    return sorted(found)


def _render(browser: Client, user: Any, path: str, language: str) -> str | None:
    if user is not None:
        type(user).objects.filter(pk=user.pk).update(language=language)
    response = browser.get(path, HTTP_ACCEPT_LANGUAGE=language)
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return None
    return response.content.decode()


def leftovers(browser: Client, user: Any, path: str) -> dict[str, list[str]]:
    english_html = _render(browser, user, path, "en")
    if english_html is None:
        return {}
    english = visible_texts(english_html)
    found = {}
    for language in LANGUAGES:
        html = _render(browser, user, path, language)
        if html is None:
            continue
        bad = english_in(visible_texts(html), english, language)
        if bad:
            found[language] = bad
    return found


def _scan(user: Any) -> list[str]:
    browser = Client(raise_request_exception=False)
    if user is not None:
        from confide.accounts.reauth import mark_recently_authenticated

        browser.force_login(user)
        session = browser.session
        mark_recently_authenticated(session, user)  # factor pages ask for it (passkey form)
        session.save()
    report = []
    for path in _pages():
        for language, texts in leftovers(browser, user, path).items():
            report += [f"{path} [{language}]: {text!r}" for text in texts]
    return report


@pytest.mark.promise("POLICY-3")
@pytest.mark.parametrize("persona", ["anonymous", "client", "counselor", "staff"])
def test_no_english_is_left_on_any_page(persona: str, request: pytest.FixtureRequest) -> None:
    user = None
    if persona == "client":
        user = request.getfixturevalue("care").client
    elif persona == "counselor":
        user = request.getfixturevalue("counselor")
    elif persona == "staff":
        user = request.getfixturevalue("staff_user")
    report = _scan(user)
    assert not report, "English left on pages:\n" + "\n".join(report)
