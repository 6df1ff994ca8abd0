"""Screen-reader users move by headings: each page has one ``<h1>`` and never skips a level."""

from __future__ import annotations

from html.parser import HTMLParser
from itertools import pairwise
from typing import Any

import pytest
from django.urls import reverse

from tests.scheduling.conftest import open_hours


class _Headings(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.levels: list[int] = []
        self.in_main = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "main":
            self.in_main = True
        elif self.in_main and len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self.levels.append(int(tag[1]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self.in_main = False


def heading_levels(html: str) -> list[int]:
    parser = _Headings()
    parser.feed(html)
    return parser.levels


def assert_well_structured(html: str) -> None:
    levels = heading_levels(html)
    assert levels and levels[0] == 1 and levels.count(1) == 1, levels
    for before, after in pairwise(levels):
        assert after <= before + 1, f"h{before} is followed by h{after}: {levels}"


def test_the_check_catches_a_skipped_level() -> None:
    with pytest.raises(AssertionError):
        assert_well_structured("<main><h1>a</h1><h3>b</h3></main>")
    with pytest.raises(AssertionError):
        assert_well_structured("<main><h2>a</h2></main>")


@pytest.mark.django_db
def test_the_crisis_page_has_a_main_heading(client: Any) -> None:
    response = client.get(reverse("intake:crisis"))
    assert response.status_code == 200
    assert_well_structured(response.content.decode())


@pytest.mark.django_db
def test_the_booking_page_never_skips_a_heading_level(client: Any, care: Any) -> None:
    open_hours(care.counselor)
    client.force_login(care.client)
    response = client.get(reverse("scheduling:book"))
    html = response.content.decode()
    assert response.status_code == 200 and 3 in heading_levels(html)  # days of free times
    assert_well_structured(html)
