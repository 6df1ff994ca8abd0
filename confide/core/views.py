from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from confide.core import health
from confide.core.mail import read_outbox
from confide.core.navigation import dashboard_links
from confide.core.sms import read_sms_outbox
from confide.privacy.access import public, roles, signed_in


@public
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@signed_in
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "core/dashboard.html", {"links": dashboard_links(request.user)})


@public
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = health.run_checks()
    healthy = all(value in {"ok", "inline"} for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "degraded", "checks": checks},
        status=200 if healthy else 503,
    )


@roles("staff", "admin")
def outbox(request: HttpRequest) -> HttpResponse:
    """Embedded-default email outbox, for staff while DEBUG is on."""
    if not settings.DEBUG:
        raise Http404
    return render(
        request, "core/outbox.html", {"messages_out": read_outbox(), "texts": read_sms_outbox()}
    )


@public
def bench_floor(request: HttpRequest) -> HttpResponse:
    """Bare Django view for benchmarks: the floor our pages are measured against."""
    return HttpResponse(b"ok", content_type="text/plain")


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # Deliberately no request context beyond the basics: nothing internal may leak.
    return render(request, "errors/500.html", status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/csrf.html", status=403)
