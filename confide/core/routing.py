"""Collects every domain's websocket routes so asgi.py stays fixed as domains are added."""

from importlib import import_module

from django.apps import apps
from django.urls import URLPattern, URLResolver


def _collect() -> list[URLPattern | URLResolver]:
    patterns: list[URLPattern | URLResolver] = []
    # App names, not INSTALLED_APPS entries: an entry may be an AppConfig path (the admin's is).
    for app in (config.name for config in apps.get_app_configs()):
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


def _not_found() -> URLPattern:
    from django.urls import re_path

    from confide.core.consumers import NotFoundConsumer

    # Last, so it only catches paths no domain claimed.
    return re_path(r"", NotFoundConsumer.as_asgi())


websocket_urlpatterns = [*_collect(), _not_found()]
