from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorksheetsConfig(AppConfig):
    name = "confide.worksheets"
    label = "worksheets"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Worksheets")

    def ready(self) -> None:
        from confide.care.sections import register_client_section, register_counselor_section
        from confide.privacy.registry import register_exporter, register_item_action
        from confide.worksheets import panels
        from confide.worksheets.services import erase_worksheet, export_templates

        register_client_section("worksheets/_client_section.html", panels.client_section, order=40)
        register_counselor_section(
            "worksheets/_counselor_section.html", panels.counselor_section, order=40
        )
        # RIGHTS-3: one worksheet can be erased from the privacy centre too.
        register_item_action("worksheets.Worksheet", _("Worksheet"), erase_worksheet)
        # RIGHTS-6: the export names the templates, so the answers read on their own.
        register_exporter("worksheet_templates", export_templates)
