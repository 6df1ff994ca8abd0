"""Sections of the care pages. Each care app (goals and journals here; worksheets, measures and
notes in their own apps) registers a template and a function that builds its context, so the
client's "My care" page and the counselor's client file grow without editing this app.

    register_client_section("worksheets/_care_section.html", context_fn, order=40)
    register_counselor_section("records/_client_file_section.html", context_fn, order=60)

``context_fn(viewer, client)`` returns the template's context, or None to leave the section out
(for instance when the viewer may not see it). It runs inside the page's request: it must go
through the access policy for anything of the client's it reads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

ContextFn = Callable[[Any, Any], dict[str, Any] | None]


@dataclass(frozen=True)
class Section:
    template: str
    context_fn: ContextFn
    order: int = 100


_CLIENT: list[Section] = []
_COUNSELOR: list[Section] = []


def _add(target: list[Section], section: Section) -> None:
    if all(s.template != section.template for s in target):
        target.append(section)
        target.sort(key=lambda s: s.order)


def register_client_section(template: str, context_fn: ContextFn, order: int = 100) -> None:
    """Add a section to the client's "My care" page. Call from AppConfig.ready()."""
    _add(_CLIENT, Section(template, context_fn, order))


def register_counselor_section(template: str, context_fn: ContextFn, order: int = 100) -> None:
    """Add a section to the counselor's file of one client. Call from AppConfig.ready()."""
    _add(_COUNSELOR, Section(template, context_fn, order))


def _render(sections: list[Section], viewer: Any, client: Any) -> list[tuple[str, dict[str, Any]]]:
    built = []
    for section in sections:
        context = section.context_fn(viewer, client)
        if context is not None:
            built.append((section.template, context))
    return built


def client_sections(request: HttpRequest) -> list[SafeString]:
    """Every section of the signed-in client's "My care" page, rendered in order."""
    return _html(request, _render(_CLIENT, request.user, request.user))


def counselor_sections(request: HttpRequest, client: Any) -> list[SafeString]:
    """Every section of the counselor's file of ``client``, rendered in order."""
    return _html(request, _render(_COUNSELOR, request.user, client))


def _html(request: HttpRequest, built: list[tuple[str, dict[str, Any]]]) -> list[SafeString]:
    return [mark_safe(render_to_string(t, c, request=request)) for t, c in built]  # noqa: S308
