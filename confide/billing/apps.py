from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "confide.billing"
    label = "billing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from confide.billing.payouts import erase_account
        from confide.core.navigation import register_link
        from confide.privacy.registry import (
            register_item_action,
            register_recipients,
            register_rollup,
        )

        # A payment row protects the due row it settles: when the bookkeeping period ends for
        # both, the sweep removes the settling rows first, in the same transaction.
        register_rollup("billing.Transaction", _settling_rows_first)
        register_recipients(_card_processor)

        register_link(_("Billing"), "billing:home", {"client"}, order=60)
        register_link(_("Bank transfers"), "billing:staff", {"staff", "admin"}, order=60)
        register_link(_("Earnings"), "billing:earnings", {"counselor"}, order=60)
        register_link(_("Payouts"), "billing:payouts", {"staff", "admin"}, order=61)
        # Bank details leave on request, but not while a payout to them is pending (PAY-3).
        register_item_action("billing.PayoutAccount", _("Bank details for payouts"), erase_account)


def _settling_rows_first(queryset: Any) -> None:
    queryset.filter(settles__isnull=False).delete()


def _card_processor() -> list[Any]:
    """Stripe, when switched on (SHARE-1): our server sends it the amount, the currency and our
    row id; the client's browser opens its Checkout page and types the card there (PAY-2)."""
    from django.conf import settings

    from confide.privacy.recipients import Recipient

    if not settings.STRIPE_SECRET_KEY:
        return []
    return [
        Recipient("stripe", "payments", frozenset({"api.stripe.com"}), frozenset({"financial"})),
        Recipient(
            "stripe",
            "payments",
            frozenset({"checkout.stripe.com"}),
            frozenset({"financial", "contact", "network"}),
            "browser",
        ),
    ]
