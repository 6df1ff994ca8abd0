from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "confide.measures"
    label = "measures"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Measures over time")

    def ready(self) -> None:
        from confide.care.sections import register_client_section, register_counselor_section
        from confide.measures import panels, tasks  # noqa: F401 (tasks: the reminder sweep)
        from confide.measures.services import erase_result
        from confide.privacy.registry import register_item_action

        register_client_section("measures/_client.html", panels.client_measures, order=25)
        register_counselor_section("measures/_counselor.html", panels.counselor_measures, order=25)
        # RIGHTS-3: one result can be erased from the privacy centre too.
        register_item_action("measures.MeasureResult", _("Measure result"), erase_result)
