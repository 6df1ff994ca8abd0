from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "confide.privacy"
    label = "privacy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from confide.core.navigation import register_link
        from confide.privacy import checks, tasks  # noqa: F401  (check and tasks register)

        register_link(
            _("Privacy"),
            "privacy:centre",
            {"client", "counselor", "team_leader", "staff", "admin"},
            order=90,
        )
        register_link(_("Requests"), "privacy:queue", {"staff", "admin"}, order=35)
