from django.conf import settings
from django.http import HttpRequest

from confide.presets import current_preset


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "site_name": "Confide",
        "DEBUG_OUTBOX": settings.DEBUG,
        "preset": current_preset(),
    }
