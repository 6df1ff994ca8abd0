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
        from confide.privacy.registry import register_item_action

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
