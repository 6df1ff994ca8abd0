from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "confide.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from confide.accounts import receivers, tasks  # noqa: F401 - connect signals, register jobs
        from confide.core.navigation import register_link

        everyone = {"client", "counselor", "team_leader", "staff", "admin"}
        register_link(_("Account"), "accounts:settings", everyone, order=900)
