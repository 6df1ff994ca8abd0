from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CounselorsConfig(AppConfig):
    name = "confide.counselors"
    label = "counselors"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from confide.core.navigation import register_link

        register_link(_("My counselor profile"), "counselors:status", {"counselor"}, 30)
        register_link(_("Applications"), "counselors:queue", {"staff", "admin"}, 30)
