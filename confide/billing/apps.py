from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "confide.billing"
    label = "billing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from confide.core.navigation import register_link
        from confide.privacy.registry import register_rollup

        # A payment row protects the due row it settles: when the bookkeeping period ends for
        # both, the sweep removes the settling rows first, in the same transaction.
        register_rollup("billing.Transaction", _settling_rows_first)

        register_link(_("Billing"), "billing:home", {"client"}, order=60)
        register_link(_("Bank transfers"), "billing:staff", {"staff", "admin"}, order=60)


def _settling_rows_first(queryset: Any) -> None:
    queryset.filter(settles__isnull=False).delete()
