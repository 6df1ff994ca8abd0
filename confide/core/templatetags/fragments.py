"""``{% languagecache "name" %}…{% endlanguagecache %}``: render a fragment once per language.

For parts of pages that depend on nothing but the active language and the code (translated
static text, links to fixed URLs, the footer): the first render in each language is kept in
process memory and reused. Never wrap anything that reads the user, the request, a CSRF token, a
CSP nonce or the database. Off while DEBUG is on, so template edits show at once.

Why: anonymous pages spend most of their time rendering such text (dozens of translations and
URL reversals per page); see docs/deployment.md for the measured effect.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.template.base import Node, NodeList, Parser, Token
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_rendered: dict[tuple[str, str], SafeString] = {}


class LanguageCacheNode(Node):
    def __init__(self, name: str, nodelist: NodeList) -> None:
        self.name = name
        self.nodelist = nodelist

    def render(self, context: Any) -> str:
        if settings.DEBUG:
            return str(self.nodelist.render(context))
        key = (self.name, translation.get_language() or settings.LANGUAGE_CODE)
        cached = _rendered.get(key)
        if cached is None:
            cached = _rendered[key] = mark_safe(self.nodelist.render(context))  # noqa: S308
        return cached


@register.tag
def languagecache(parser: Parser, token: Token) -> LanguageCacheNode:
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('usage: {% languagecache "name" %}')
    nodelist = parser.parse(("endlanguagecache",))
    parser.delete_first_token()
    return LanguageCacheNode(bits[1][1:-1], nodelist)


def clear() -> None:
    """Forget every rendered fragment (tests that switch DEBUG off)."""
    _rendered.clear()
