from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "confide.care"
    label = "care"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Care between sessions")

    def ready(self) -> None:
        from confide.care import panels
        from confide.care.sections import register_client_section, register_counselor_section
        from confide.care.services import erase_entry, erase_goal
        from confide.core.navigation import register_link
        from confide.privacy.registry import register_item_action

        register_link(_("My care"), "care:home", {"client"}, order=35)
        register_link(_("Clients' care"), "care:clients", {"counselor"}, order=35)
        register_client_section("care/_next_session.html", panels.next_session, order=10)
        register_client_section("care/_goals_client.html", panels.client_goals, order=20)
        register_client_section("care/_journal_client.html", panels.client_journal, order=30)
        register_counselor_section("care/_goals_counselor.html", panels.counselor_goals, order=20)
        register_counselor_section(
            "care/_journal_counselor.html", panels.counselor_journal, order=30
        )
        # RIGHTS-3: one goal or one entry can be erased from the privacy centre too.
        register_item_action("care.Goal", _("Goal"), erase_goal)
        register_item_action("care.JournalEntry", _("Journal entry"), erase_entry)
