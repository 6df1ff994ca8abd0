"""Headers every response carries, the signed-in user's language and time-zone preferences,
and static files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from csp.constants import HEADER
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone, translation
from whitenoise.middleware import WhiteNoiseFileResponse, WhiteNoiseMiddleware

from confide.core.network import drop_untrusted_forwarded_headers
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


class ForwardedHeadersMiddleware:
    """First in the chain: forwarded scheme/host headers count only from a trusted proxy
    (``confide.core.network``), so Django's ``is_secure()`` and host checks never read a value
    a client wrote itself."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        drop_untrusted_forwarded_headers(request)
        return self.get_response(request)


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


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp, without its DEBUG exemption for 404s.

    django-csp leaves 404 and 500 responses bare when ``DEBUG`` is on, and the embedded default
    runs with ``DEBUG`` on: every not-found page and static miss went out with no policy. A 404
    echoes the requested path, so it gets the same policy as any page. Only the debug traceback
    page (500 with ``DEBUG``) stays exempt: it needs inline script and never runs in production.
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        response = super().process_response(request, response)
        exempt = getattr(response, "_csp_exempt", False) or HEADER in response
        if settings.DEBUG and response.status_code == 404 and not exempt:
            parts = self.get_policy_parts(request=request, response=response)
            response[HEADER] = build_policy(**asdict(parts))
        return response


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


#: Static files up to this size are answered from memory rather than streamed.
SMALL_STATIC_FILE = 1024 * 1024


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, minus the ASGI warning. WhiteNoise streams every file through a synchronous
    iterator, which Django under ASGI must drain in a thread and warns about on each request.
    Our static files are small, so they go out as plain responses (same headers, ranges too);
    only a large file would still be streamed."""

    @staticmethod
    def serve(static_file: Any, request: HttpRequest) -> HttpResponseBase:
        found = static_file.get_response(request.method, request.META)
        headers = dict(found.headers)
        response: HttpResponseBase
        if found.file is not None and int(headers.get("Content-Length", 0)) > SMALL_STATIC_FILE:
            response = WhiteNoiseFileResponse(found.file, status=int(found.status))
        else:
            body = b""
            if found.file is not None:
                with found.file:
                    body = found.file.read()
            response = HttpResponse(body, status=int(found.status))
        del response["Content-Type"]
        for key, value in headers.items():
            response[key] = value
        return response


class UserTimezoneMiddleware:
    """Activates the viewer's zone (``confide.core.times.user_zone``) for the request, so every
    ``|when`` on the page shows their wall-clock time. ``override`` resets it afterwards: a
    thread serves many people."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with timezone.override(user_zone(getattr(request, "user", None))):
            return self.get_response(request)
