from django.conf import settings
from django.http import HttpRequest

from confide.core.navigation import dashboard_links
from confide.presets import current_preset


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "site_name": "Confide",
        "DEBUG_OUTBOX": settings.DEBUG,
        "preset": current_preset(),
        # Lazily: most anonymous pages never touch the user.
        "nav_links": lambda: dashboard_links(request.user) if request.user.is_authenticated else [],
    }
