from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "confide.scheduling"
    label = "scheduling"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from confide.core.navigation import register_link

        register_link(_("Sessions"), "scheduling:sessions", {"client", "counselor"}, 30)
        register_link(_("Calendar"), "scheduling:calendar", {"counselor"}, 31)
