"""Collects every domain's websocket routes so asgi.py stays fixed as domains are added."""

from importlib import import_module

from django.conf import settings
from django.urls import URLPattern, URLResolver


def _collect() -> list[URLPattern | URLResolver]:
    patterns: list[URLPattern | URLResolver] = []
    for app in settings.INSTALLED_APPS:
        if not app.startswith("confide."):
            continue
        try:
            module = import_module(f"{app}.routing")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.routing":
                raise
            continue
        if module.__name__ != __name__:
            patterns.extend(getattr(module, "websocket_urlpatterns", []))
    return patterns


websocket_urlpatterns = _collect()
