from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "confide.library"
    label = "library"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Library")

    def ready(self) -> None:
        from confide.care.sections import register_client_section, register_counselor_section
        from confide.core.navigation import register_link
        from confide.library import panels
        from confide.library.services import erase_progress, erase_recommendation
        from confide.privacy.registry import register_item_action, register_recipients

        register_link(_("Library"), "library:index", {"client", "counselor"}, order=45)
        register_link(_("Manage library"), "library:manage", {"staff"}, order=45)
        register_client_section("library/_client_section.html", panels.client_section, order=50)
        register_counselor_section(
            "library/_counselor_section.html", panels.counselor_section, order=50
        )
        # RIGHTS-3: one mark of progress or one recommendation can be erased on its own.
        register_item_action("library.Progress", _("Library progress"), erase_progress)
        register_item_action(
            "library.Recommendation", _("Library recommendation"), erase_recommendation
        )
        register_recipients(_video_players)


def _video_players() -> list[Any]:
    """An embedded video's player, reached by the member's browser only with functional cookies
    switched on (SHARE-1): it sees the member's network address and the page it is embedded in.
    Declared as soon as one module embeds a video (content, not configuration, decides it)."""
    from confide.library.models import Module
    from confide.library.services import VIMEO_ORIGIN, YOUTUBE_ORIGIN
    from confide.privacy.recipients import Recipient

    if not Module.objects.exclude(embed_url="").exists():
        return []  # no module embeds a video: no member's browser is sent anywhere

    hosts = frozenset(origin.split("//", 1)[1] for origin in (YOUTUBE_ORIGIN, VIMEO_ORIGIN))
    return [
        Recipient(
            "embedded_video",
            "embedded_video",
            hosts,
            frozenset({"network"}),
            "browser",
            consent="functional",
        )
    ]
