from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "confide.messaging"
    label = "messaging"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from confide.core.navigation import register_link
        from confide.messaging.services import erase_message
        from confide.privacy.registry import register_item_action

        register_link(_("Messages"), "messaging:index", {"client", "counselor"}, order=40)
        # CARE-4: the client can erase one message from the privacy centre too.
        register_item_action("messaging.Message", _("Message"), erase_message)
