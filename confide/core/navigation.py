"""Dashboard links per role. Domains register theirs here so the dashboard grows with them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class Link:
    label: Any
    url_name: str
    roles: frozenset[str]
    order: int = 100

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_LINKS: list[Link] = []


def register_link(label: Any, url_name: str, roles: set[str], order: int = 100) -> None:
    """Show a link in the top navigation and on the dashboard of users with these roles.
    Call from your AppConfig.ready(); ``label`` must be a lazy translation (gettext_lazy)."""
    link = Link(label, url_name, frozenset(roles), order)
    if link not in _LINKS:
        _LINKS.append(link)


def dashboard_links(user: Any) -> list[Link]:
    role = getattr(user, "role", "")
    return sorted((link for link in _LINKS if role in link.roles), key=lambda link: link.order)
