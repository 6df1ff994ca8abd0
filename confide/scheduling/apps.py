from typing import Any

from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "confide.scheduling"
    label = "scheduling"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from confide.core.navigation import register_link
        from confide.core.times import register_zone_fallback

        register_link(_("Sessions"), "scheduling:sessions", {"client", "counselor"}, 30)
        register_link(_("Calendar"), "scheduling:calendar", {"counselor"}, 31)
        register_zone_fallback(working_hours_zone)


def working_hours_zone(user: Any) -> str:
    """A counselor who never chose a zone lives where their working hours were entered."""
    if getattr(user, "role", "") != "counselor":
        return ""
    from confide.scheduling.models import Availability

    found = Availability.objects.filter(counselor=user).values_list("timezone", flat=True).first()
    return found or ""
