"""Visible text of a rendered page: text nodes and accessible names, for comparing languages."""

from __future__ import annotations

import re
from html.parser import HTMLParser

#: Attributes a person reads or hears (screen readers announce them).
SPOKEN_ATTRIBUTES = ("aria-label", "alt", "title", "placeholder", "aria-description")
_HIDDEN_CONTENT = {"script", "style", "template", "noscript"}
_VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip
_SPACE = re.compile(r"\s+")


class _TextCollector(HTMLParser):
    """Collects what a reader sees or hears, in the page's own language only: text marked with
    another ``lang`` (the switcher's language names) or ``translate="no"`` is skipped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page_language = ""
        self.stack: list[tuple[str, bool]] = []
        self.texts: list[str] = []

    def _skipping(self) -> bool:
        return any(skip for _tag, skip in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.page_language = values.get("lang", "")
        other_language = bool(values.get("lang")) and values["lang"] != self.page_language
        skip = tag in _HIDDEN_CONTENT or other_language or values.get("translate") == "no"
        if not (skip or self._skipping()):
            self.texts += [values[name] for name in SPOKEN_ATTRIBUTES if values.get(name)]
            if tag == "input" and values.get("type") in {"submit", "button"}:
                self.texts.append(values.get("value", ""))
        if tag not in _VOID:
            self.stack.append((tag, skip))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if not self._skipping():
            self.texts.append(data)


def visible_texts(html: str) -> set[str]:
    collector = _TextCollector()
    collector.feed(html)
    return {text for text in (_SPACE.sub(" ", raw).strip() for raw in collector.texts) if text}
