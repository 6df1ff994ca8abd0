"""``languagecache``: language-only fragments render once per language, never across languages,
and not at all while debugging."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.template import Context, Template
from django.utils import translation

from confide.core.templatetags import fragments

TEMPLATE = Template(
    '{% load i18n fragments %}{% languagecache "t" %}{% translate "Sign in" %} {{ n }}'
    "{% endlanguagecache %}"
)


@pytest.fixture(autouse=True)
def _forget() -> Iterator[None]:
    fragments.clear()
    yield
    fragments.clear()


def render(language: str, n: int) -> str:
    with translation.override(language):
        return TEMPLATE.render(Context({"n": n}))


def test_a_fragment_renders_once_per_language(settings: Any) -> None:
    settings.DEBUG = False
    assert render("en", 1) == "Sign in 1"
    assert render("en", 2) == "Sign in 1"  # reused: the fragment must not depend on context
    spanish = render("es", 3)
    assert spanish.endswith(" 3") and not spanish.startswith("Sign in")


def test_debug_renders_every_time(settings: Any) -> None:
    settings.DEBUG = True
    assert render("en", 1) == "Sign in 1"
    assert render("en", 2) == "Sign in 2"


@pytest.mark.django_db
def test_pages_never_show_another_languages_fragments(client: Any, settings: Any) -> None:
    settings.DEBUG = False
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.cookies.clear()
    swedish = client.get("/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Talk to a licensed counselor" in english
    assert "Talk to a licensed counselor" not in swedish
    assert "Prata med en legitimerad samtalsterapeut" in swedish
    assert 'lang="sv" selected' in swedish and 'lang="en" selected' in english


def test_the_tag_needs_a_quoted_name() -> None:
    from django.template import TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError):
        Template("{% load fragments %}{% languagecache name %}x{% endlanguagecache %}")
