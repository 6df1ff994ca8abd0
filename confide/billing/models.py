"""Billing data: the append-only ledger of money events (PAY-1).

A :class:`Transaction` row is written once and never changed: the service only inserts, ``save``
refuses an update, and a database trigger (migration 0001) refuses UPDATE for every writer.
Bookkeeping law keeps the rows after account erasure (legal hold, ``payroll_law`` period).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from confide.privacy.inventory import Declared

_BOOKKEEPING = Declared(
    "financial",
    ["payments", "legal"],
    "legal_obligation",
    "payroll_law",
    "keep_under_legal_hold",
    law="bookkeeping",
)


class AppendOnlyError(Exception):
    """A money record was about to be changed."""


class Transaction(models.Model):
    class Kind(models.TextChoices):
        TRIAL_STARTED = "trial_started", _("trial started")
        TRIAL_CANCELLED = "trial_cancelled", _("trial cancelled")
        TRIAL_ENDED = "trial_ended", _("trial ended")
        TRIAL_CONVERTED = "trial_converted", _("trial converted to a paid package")
        PAYMENT_DUE = "payment_due", _("payment due")
        PAYMENT_RECEIVED = "payment_received", _("payment received")
        REFUNDED = "refunded", _("refunded")
        DISPUTED = "disputed", _("disputed by the card holder")

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="billing_transactions",
        verbose_name=_("client"),
    )
    kind = models.CharField(max_length=32, choices=Kind.choices, verbose_name=_("event"))
    product = models.CharField(max_length=32, blank=True, verbose_name=_("product"))
    sessions = models.PositiveSmallIntegerField(default=0, verbose_name=_("sessions"))
    currency = models.CharField(max_length=3, blank=True, verbose_name=_("currency"))
    amount_minor = models.BigIntegerField(default=0, verbose_name=_("amount (minor units)"))
    at = models.DateTimeField(auto_now_add=True, verbose_name=_("recorded on"))
    #: For ``payment_received``: the ``payment_due`` row it settles.
    settles = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="settled_by",
        verbose_name=_("settles"),
    )

    class Meta:
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_minor__gte=0), name="billing_tx_amount_non_negative"
            ),
        ]

    class PersonalData:
        subject = "client"
        fields = {
            "kind": _BOOKKEEPING,
            "product": _BOOKKEEPING,
            "sessions": _BOOKKEEPING,
            "currency": _BOOKKEEPING,
            "amount_minor": _BOOKKEEPING,
            "at": _BOOKKEEPING,
        }
        not_personal = ["id", "client", "settles"]
        age_field = "at"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise AppendOnlyError("transactions are append-only")
        super().save(*args, **kwargs)


class ProcessorPayment(models.Model):
    """A due amount handed to the card processor: only the processor's references, never a card
    number, expiry or code (PAY-2: card data is entered at the processor's page only)."""

    due = models.OneToOneField(
        Transaction,
        on_delete=models.PROTECT,
        related_name="processor_payment",
        verbose_name=_("amount due"),
    )
    processor = models.CharField(max_length=20, verbose_name=_("processor"))
    session_ref = models.CharField(
        max_length=255, unique=True, verbose_name=_("checkout reference")
    )
    payment_ref = models.CharField(max_length=255, blank=True, verbose_name=_("payment reference"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created on"))

    class Meta:
        verbose_name = _("card payment")
        verbose_name_plural = _("card payments")

    class PersonalData:
        subject = "due__client"
        fields = {
            "processor": _BOOKKEEPING,
            "session_ref": _BOOKKEEPING,
            "payment_ref": _BOOKKEEPING,
            "created_at": _BOOKKEEPING,
        }
        not_personal = ["id", "due"]
        age_field = "created_at"


class ProcessorEvent(models.Model):
    """Every webhook event once, by the processor's event id: a duplicate is a no-op, and an
    event that arrives before the one it depends on waits here (``pending``) until it can apply.
    The row and the event's effect commit together, so a crash between them loses neither."""

    event_id = models.CharField(max_length=255, unique=True, verbose_name=_("event id"))
    processor = models.CharField(max_length=20, verbose_name=_("processor"))
    type = models.CharField(max_length=100, verbose_name=_("event type"))
    #: The event's own JSON, as signed by the processor: references and amounts only.
    payload = models.JSONField(verbose_name=_("event"))
    received_at = models.DateTimeField(auto_now_add=True, verbose_name=_("received on"))
    applied_at = models.DateTimeField(null=True, blank=True, verbose_name=_("applied on"))

    class Meta:
        verbose_name = _("payment processor event")
        verbose_name_plural = _("payment processor events")

    class PersonalData:
        subject = None  # references and amounts; the person is reached through the payment
        fields = {
            "payload": Declared(
                "financial", ["payments", "legal"], "legal_obligation", "payroll_law", "delete"
            ),
        }
        not_personal = ["id", "event_id", "processor", "type", "received_at", "applied_at"]
