from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "confide.matching"
    label = "matching"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from confide.core.navigation import register_link

        register_link(_("Find a counselor"), "matching:suggestions", {"client"}, 20)
        register_link(_("My counselor"), "matching:my_counselor", {"client"}, 21)
        register_link(_("My clients"), "matching:clients", {"counselor"}, 20)
