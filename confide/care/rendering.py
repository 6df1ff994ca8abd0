"""Journal text to HTML: Markdown through markdown-it-py with raw HTML off, then nh3 (ammonia)
keeps only harmless tags, so nothing the client typed can run script or load a resource."""

from __future__ import annotations

import nh3
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable("image")
ALLOWED_TAGS = {
    "p", "br", "em", "strong", "ul", "ol", "li", "blockquote", "code", "pre",
    "h3", "h4", "h5", "h6", "hr", "a",
}  # fmt: skip
#: Headings in an entry start at h3: the page already has h1 and h2 above it.
_HEADINGS = {f"<h{n}>": f"<h{min(n + 2, 6)}>" for n in range(1, 7)} | {
    f"</h{n}>": f"</h{min(n + 2, 6)}>" for n in range(1, 7)
}


def render_entry(body: str, markdown: bool) -> SafeString:
    """Safe HTML for an entry's body: plain text keeps its paragraphs, Markdown is rendered and
    then sanitized either way."""
    if not markdown:
        return mark_safe(linebreaks(body, autoescape=True))  # noqa: S308 (escaped by linebreaks)
    html = _MARKDOWN.render(body)
    for old in sorted(_HEADINGS, reverse=True):
        html = html.replace(old, _HEADINGS[old])
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 (sanitized by nh3)
