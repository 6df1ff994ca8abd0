from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "confide.records"
    label = "records"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Clinical notes")

    def ready(self) -> None:
        from confide.care.sections import register_counselor_section
        from confide.core.navigation import register_link
        from confide.privacy.registry import register_hold
        from confide.records import panels, services

        register_link(_("Clinical notes"), "records:clients", {"counselor"}, order=37)
        register_counselor_section(
            "records/_client_file_section.html", panels.notes_context, order=60
        )

        # A note under a legal hold outlives its retention period, with its addenda and holds.
        register_hold("records.Note", services.held_notes)
        register_hold("records.Addendum", services.held_children)
        register_hold("records.NoteHold", services.held_children)
