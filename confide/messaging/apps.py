from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "confide.messaging"
    label = "messaging"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from confide.core.navigation import register_link

        register_link(_("Messages"), "messaging:index", {"client", "counselor"}, order=40)
