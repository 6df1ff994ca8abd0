from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "confide.billing"
    label = "billing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from confide.core.navigation import register_link

        register_link(_("Billing"), "billing:home", {"client"}, order=60)
        register_link(_("Bank transfers"), "billing:staff", {"staff", "admin"}, order=60)
