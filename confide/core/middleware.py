"""Headers every response carries, and the signed-in user's language and time-zone preferences."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from confide.core.times import user_zone

# Features every page denies. A view opts into camera/microphone with ``allow_media`` below;
# only the video-session room does.
_DENIED = (
    "camera",
    "microphone",
    "geolocation",
    "payment",
    "usb",
    "display-capture",
    "interest-cohort",
)


def permissions_policy_value(allowed: frozenset[str] = frozenset()) -> str:
    parts = [f"{feature}=(self)" if feature in allowed else f"{feature}=()" for feature in _DENIED]
    return ", ".join(parts)


def allow_media(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view whose page may use the camera and microphone (the video room only)."""
    view.permissions_policy_allow = frozenset({"camera", "microphone"})  # type: ignore[attr-defined]
    return view


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.permissions_policy_allow = frozenset()  # type: ignore[attr-defined]
        response = self.get_response(request)
        allowed: frozenset[str] = getattr(request, "permissions_policy_allow", frozenset())
        response.headers.setdefault("Permissions-Policy", permissions_policy_value(allowed))
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            # Pages of signed-in people hold personal data: never keep them in shared caches.
            response.headers.setdefault("Cache-Control", "private, no-store")
        return response

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> None:
        allowed = getattr(view_func, "permissions_policy_allow", None)
        if allowed:
            request.permissions_policy_allow = allowed  # type: ignore[attr-defined]


class UserLanguageMiddleware:
    """Activates a signed-in user's saved language over the browser's guess."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user and user.is_authenticated else ""
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


class UserTimezoneMiddleware:
    """Activates the viewer's zone (``confide.core.times.user_zone``) for the request, so every
    ``|when`` on the page shows their wall-clock time. ``override`` resets it afterwards: a
    thread serves many people."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with timezone.override(user_zone(getattr(request, "user", None))):
            return self.get_response(request)
