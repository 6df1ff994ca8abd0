"""Billing data: the append-only ledger of money events (PAY-1).

A :class:`Transaction` row is written once and never changed: the service only inserts, ``save``
refuses an update, and a database trigger (migration 0001) refuses UPDATE for every writer.
Bookkeeping law keeps the rows after account erasure (legal hold, ``payroll_law`` period).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from confide.privacy.fields import EncryptedTextField
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


# --- Invoices (PAY-1) -----------------------------------------------------------------------------
# Invoices name the buyer as bookkeeping law requires: identity and contact kept under legal hold.
_INVOICE_IDENTITY = Declared(
    "identity",
    ["payments", "legal"],
    "legal_obligation",
    "payroll_law",
    "keep_under_legal_hold",
    law="bookkeeping",
    editable=False,
)
_INVOICE_CONTACT = Declared(
    "contact",
    ["payments", "legal"],
    "legal_obligation",
    "payroll_law",
    "keep_under_legal_hold",
    law="bookkeeping",
    editable=False,
)
_INVOICE_MONEY = Declared(
    "financial",
    ["payments", "legal"],
    "legal_obligation",
    "payroll_law",
    "keep_under_legal_hold",
    law="bookkeeping",
    editable=False,
)


class NumberCounter(models.Model):
    """The last number handed out per series and calendar year. Issuing locks this row (select
    for update) in the same database transaction as the insert, so numbers have no gaps."""

    series = models.CharField(max_length=8, verbose_name=_("number series"))
    year = models.PositiveSmallIntegerField(verbose_name=_("year"))
    last = models.PositiveIntegerField(default=0, verbose_name=_("last number issued"))

    class Meta:
        verbose_name = _("invoice number counter")
        verbose_name_plural = _("invoice number counters")
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="billing_counter_series_year")
        ]

    class PersonalData:
        subject = None
        fields: dict[str, Declared] = {}
        not_personal = ["id", "series", "year", "last"]


class Invoice(models.Model):
    """An issued invoice or credit note. Written once: ``save`` refuses an update and a database
    trigger (migration 0005) refuses UPDATE whoever writes. Corrections are credit notes."""

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("invoice")
        CREDIT_NOTE = "credit_note", _("credit note")

    kind = models.CharField(max_length=16, choices=Kind.choices, verbose_name=_("document"))
    series = models.CharField(max_length=8, verbose_name=_("series"))
    year = models.PositiveSmallIntegerField(verbose_name=_("year"))
    number = models.PositiveIntegerField(verbose_name=_("number"))
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("client"),
    )
    #: The ``payment_received`` row an invoice is issued for (one invoice per payment).
    payment = models.OneToOneField(
        Transaction,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoice",
        verbose_name=_("payment"),
    )
    #: For a credit note: the invoice it corrects (one full credit per invoice).
    credits = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_note",
        verbose_name=_("corrects"),
    )
    issued_at = models.DateTimeField(verbose_name=_("issued on"))
    jurisdiction = models.CharField(max_length=2, verbose_name=_("jurisdiction"))
    currency = models.CharField(max_length=3, verbose_name=_("currency"))
    total_minor = models.BigIntegerField(verbose_name=_("total (minor units)"))
    seller_name = models.CharField(max_length=200, verbose_name=_("seller"))
    seller_contact = models.CharField(max_length=200, verbose_name=_("seller contact"))
    seller_tax_id = models.CharField(max_length=64, blank=True, verbose_name=_("seller tax id"))
    buyer_name = models.CharField(max_length=200, verbose_name=_("buyer"))
    buyer_email = models.CharField(max_length=254, verbose_name=_("buyer e-mail"))
    #: The tax note key (taxes.py), e.g. ``exempt_health`` or ``none``.
    tax_rule = models.CharField(max_length=32, verbose_name=_("tax rule"))

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices and credit notes")
        ordering = ["issued_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "year", "number"], name="billing_invoice_series_year_number"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="invoice", total_minor__gte=0, payment__isnull=False)
                    | models.Q(kind="credit_note", total_minor__lte=0, credits__isnull=False)
                ),
                name="billing_invoice_sign_and_reference",
            ),
        ]

    class PersonalData:
        subject = "client"
        fields = {
            "kind": _INVOICE_MONEY,
            "series": _INVOICE_MONEY,
            "year": _INVOICE_MONEY,
            "number": _INVOICE_MONEY,
            "issued_at": _INVOICE_MONEY,
            "jurisdiction": _INVOICE_MONEY,
            "currency": _INVOICE_MONEY,
            "total_minor": _INVOICE_MONEY,
            "tax_rule": _INVOICE_MONEY,
            "buyer_name": _INVOICE_IDENTITY,
            "buyer_email": _INVOICE_CONTACT,
        }
        not_personal = ["id", "client", "payment", "credits", "seller_name", "seller_contact"]
        not_personal += ["seller_tax_id"]
        age_field = "issued_at"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise AppendOnlyError("issued invoices cannot be changed; issue a credit note")
        super().save(*args, **kwargs)

    @property
    def code(self) -> str:
        """The printed number: series, year and a zero-padded number, e.g. ``F-2026-000042``."""
        return f"{self.series}-{self.year}-{self.number:06d}"


class InvoiceLine(models.Model):
    """One line of an invoice: a product code, never a description of care."""

    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="lines", verbose_name=_("invoice")
    )
    product = models.CharField(max_length=32, verbose_name=_("product"))
    quantity = models.IntegerField(verbose_name=_("quantity"))
    unit_minor = models.BigIntegerField(verbose_name=_("unit price (minor units)"))
    amount_minor = models.BigIntegerField(verbose_name=_("amount (minor units)"))
    tax_rate_bp = models.PositiveIntegerField(default=0, verbose_name=_("tax rate (basis points)"))
    tax_minor = models.BigIntegerField(default=0, verbose_name=_("tax (minor units)"))

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["id"]

    class PersonalData:
        subject = "invoice__client"
        fields = {
            "product": _INVOICE_MONEY,
            "quantity": _INVOICE_MONEY,
            "unit_minor": _INVOICE_MONEY,
            "amount_minor": _INVOICE_MONEY,
            "tax_rate_bp": _INVOICE_MONEY,
            "tax_minor": _INVOICE_MONEY,
        }
        not_personal = ["id", "invoice"]
        age_field = "invoice__issued_at"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise AppendOnlyError("issued invoices cannot be changed; issue a credit note")
        super().save(*args, **kwargs)


# --- Counselor earnings and payouts (PAY-3) -----------------------------------------------------
_BANK = Declared("financial", ["payments"], "contract", "account_lifetime", "delete")


class LedgerEntry(models.Model):
    """One line of the double-entry earnings ledger. Every posting (a payment, its refund, a
    payout) writes entries on ``cash``, ``platform`` and ``counselor`` that sum to zero; the
    counselor's balance is the sum of their ``counselor`` entries. Append-only like Transaction
    (``save`` refuses an update, migration 0008 installs the trigger)."""

    class Account(models.TextChoices):
        CASH = "cash", _("money received")
        PLATFORM = "platform", _("platform fee")
        COUNSELOR = "counselor", _("counselor earnings")

    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_entries",
        verbose_name=_("counselor"),
    )
    account = models.CharField(max_length=16, choices=Account.choices, verbose_name=_("account"))
    transaction = models.ForeignKey(
        Transaction,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_entries",
        verbose_name=_("money event"),
    )
    payout = models.ForeignKey(
        "Payout",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_entries",
        verbose_name=_("payout"),
    )
    currency = models.CharField(max_length=3, verbose_name=_("currency"))
    amount_minor = models.BigIntegerField(verbose_name=_("amount (minor units)"))
    at = models.DateTimeField(verbose_name=_("booked on"))

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("earnings ledger")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["counselor", "account", "at"])]

    class PersonalData:
        subject = "counselor"
        fields = {
            "account": _BOOKKEEPING,
            "currency": _BOOKKEEPING,
            "amount_minor": _BOOKKEEPING,
            "at": _BOOKKEEPING,
        }
        not_personal = ["id", "counselor", "transaction", "payout"]
        age_field = "at"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise AppendOnlyError("ledger entries are append-only")
        super().save(*args, **kwargs)


class PayoutAccount(models.Model):
    """Where a counselor is paid: encrypted at rest under the counselor's "payouts" key."""

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("bank details number")
    )
    counselor = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="payout_account",
        verbose_name=_("counselor"),
    )
    holder = EncryptedTextField(key_scope="payouts", verbose_name=_("account holder"))
    iban = EncryptedTextField(key_scope="payouts", verbose_name=_("IBAN (account number)"))
    bic = EncryptedTextField(key_scope="payouts", verbose_name=_("BIC (bank code)"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated on"))

    class Meta:
        verbose_name = _("payout account")
        verbose_name_plural = _("payout accounts")

    class PersonalData:
        subject = "counselor"
        fields = {"holder": _BANK, "iban": _BANK, "bic": _BANK, "updated_at": _BANK}
        not_personal = ["id", "counselor"]


class Payout(models.Model):
    """One transfer to a counselor in a payout run: written once, never changed."""

    run = models.UUIDField(db_index=True, verbose_name=_("payout run"))
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="payouts",
        verbose_name=_("counselor"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("run by"),
    )
    period_end = models.DateField(verbose_name=_("period ends"))
    currency = models.CharField(max_length=3, verbose_name=_("currency"))
    amount_minor = models.BigIntegerField(verbose_name=_("amount (minor units)"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("paid on"))

    class Meta:
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_minor__gt=0), name="billing_payout_positive"
            ),
        ]

    class PersonalData:
        subject = "counselor"
        fields = {
            "period_end": _BOOKKEEPING,
            "currency": _BOOKKEEPING,
            "amount_minor": _BOOKKEEPING,
            "created_at": _BOOKKEEPING,
        }
        not_personal = ["id", "run", "counselor", "created_by"]
        age_field = "created_at"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise AppendOnlyError("payouts are append-only")
        super().save(*args, **kwargs)
