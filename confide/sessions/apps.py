from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SessionsConfig(AppConfig):
    name = "confide.sessions"
    label = "therapy_sessions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from confide.core.navigation import register_link

        register_link(
            _("Video sessions"), "therapy_sessions:index", {"client", "counselor"}, order=45
        )
