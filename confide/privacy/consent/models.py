"""Consent, policy documents and their acceptance, marketing grants.

Every record here is proof: it says who (user or opaque visitor id), when, which version and the
SHA-256 of the exact text that was shown. Rows are only ever added; a withdrawal is a new decision
(cookies) or a timestamp on the grant (marketing), never an edit of what was agreed to.
"""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from confide.privacy.consent.analytics.models import FrontendError, PageView
from confide.privacy.inventory import Declared

__all__ = [
    "ConsentDecision",
    "FrontendError",
    "MarketingGrant",
    "PageView",
    "PolicyAcceptance",
    "PolicyDocument",
    "sha256_text",
]


_PROOF = Declared(
    "consent", ["legal"], "legal_obligation", "consent_proof", "delete", editable=False
)
_MARKETING_PROOF = Declared(
    "consent", ["marketing", "legal"], "consent", "consent_proof", "delete", editable=False
)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class PolicyDocument(models.Model):
    """One version of one document in one language. Text is immutable once published."""

    class Kind(models.TextChoices):
        PRIVACY = "privacy", _("Privacy policy")
        TERMS = "terms", _("Terms of service")

    class Reason(models.TextChoices):
        REVISION = "revision", _("Revision")
        BUSINESS_TRANSFER = "business_transfer", _("Business transfer")

    kind = models.CharField(max_length=20, choices=Kind.choices, verbose_name=_("document"))
    version = models.PositiveIntegerField(verbose_name=_("version"))
    language = models.CharField(max_length=8, verbose_name=_("language"))
    title = models.CharField(max_length=200, verbose_name=_("title"))
    body = models.TextField(verbose_name=_("text"))
    #: What changed, shown in the notice and the email (empty for the first version).
    change_summary = models.TextField(blank=True, verbose_name=_("summary of the changes"))
    reason = models.CharField(
        max_length=30,
        choices=Reason.choices,
        default=Reason.REVISION,
        verbose_name=_("reason for the new version"),
    )
    #: A material change needs renewed acceptance once it takes effect (POLICY-2, CONSENT-5).
    material = models.BooleanField(default=False, verbose_name=_("needs renewed acceptance"))
    published_at = models.DateTimeField(default=timezone.now, verbose_name=_("published on"))
    effective_at = models.DateTimeField(default=timezone.now, verbose_name=_("in force from"))
    notice_sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("notice sent on"))
    text_sha256 = models.CharField(
        max_length=64, editable=False, verbose_name=_("fingerprint of the text (SHA-256)")
    )

    class Meta:
        verbose_name = _("policy document")
        verbose_name_plural = _("policy documents")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "version", "language"], name="one_policy_text_per_version"
            )
        ]
        ordering = ["kind", "-version"]

    class PersonalData:
        subject = None
        fields: dict[str, Declared] = {}
        not_personal = [
            "id",
            "kind",
            "version",
            "language",
            "title",
            "body",
            "change_summary",
            "reason",
            "material",
            "published_at",
            "effective_at",
            "notice_sent_at",
            "text_sha256",
        ]

    def __str__(self) -> str:
        return f"{self.kind} v{self.version} ({self.language})"

    def save(self, *args: object, **kwargs: object) -> None:
        self.text_sha256 = sha256_text(self.body)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class PolicyAcceptance(models.Model):
    """Who accepted which version of which document, in which language, with the text's hash."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="policy_acceptances",
        verbose_name=_("account"),
    )
    kind = models.CharField(
        max_length=20, choices=PolicyDocument.Kind.choices, verbose_name=_("document")
    )
    version = models.PositiveIntegerField(verbose_name=_("version"))
    language = models.CharField(max_length=8, verbose_name=_("language"))
    text_sha256 = models.CharField(
        max_length=64, verbose_name=_("fingerprint of the text (SHA-256)")
    )
    method = models.CharField(max_length=40, verbose_name=_("how it was accepted"))
    accepted_at = models.DateTimeField(default=timezone.now, verbose_name=_("accepted on"))

    class Meta:
        verbose_name = _("policy acceptance")
        verbose_name_plural = _("policy acceptances")
        indexes = [models.Index(fields=["user", "kind", "-version"])]

    class PersonalData:
        subject = "user"
        fields = {
            name: _PROOF
            for name in ("kind", "version", "language", "text_sha256", "method", "accepted_at")
        }
        not_personal = ["id", "user"]


class ConsentDecision(models.Model):
    """One cookie/tracking decision. The newest row for a user or visitor is in force."""

    class Method(models.TextChoices):
        ACCEPT_ALL = "accept_all", _("Accepted all")
        REJECT_ALL = "reject_all", _("Rejected all")
        CUSTOM = "custom", _("Chose categories")
        WITHDRAW = "withdraw", _("Withdrew consent")

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("choice number")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="consent_decisions",
        verbose_name=_("account"),
    )
    #: Opaque random id from the necessary ``confide_vid`` cookie; empty for signed-in decisions.
    visitor_id = models.CharField(
        max_length=64, blank=True, db_index=True, verbose_name=_("visitor id")
    )
    functional = models.BooleanField(default=False, verbose_name=_("functional cookies"))
    analytics = models.BooleanField(default=False, verbose_name=_("statistics"))
    targeting = models.BooleanField(default=False, verbose_name=_("advertising"))
    banner_version = models.PositiveIntegerField(verbose_name=_("cookie banner version"))
    policy_version = models.PositiveIntegerField(verbose_name=_("privacy policy version"))
    language = models.CharField(max_length=8, verbose_name=_("language"))
    notice_sha256 = models.CharField(
        max_length=64, verbose_name=_("fingerprint of the notice shown (SHA-256)")
    )
    method = models.CharField(
        max_length=20, choices=Method.choices, verbose_name=_("what was chosen")
    )
    decided_at = models.DateTimeField(default=timezone.now, verbose_name=_("chosen on"))

    class Meta:
        verbose_name = _("cookie choice")
        verbose_name_plural = _("cookie choices")
        indexes = [
            models.Index(fields=["user", "-decided_at"]),
            models.Index(fields=["visitor_id", "-decided_at"]),
        ]

    class PersonalData:
        subject = "user"
        fields = {
            "visitor_id": Declared(
                "network", ["legal"], "legal_obligation", "consent_proof", "delete", editable=False
            ),
            **{
                name: _PROOF
                for name in (
                    "functional",
                    "analytics",
                    "targeting",
                    "banner_version",
                    "policy_version",
                    "language",
                    "notice_sha256",
                    "method",
                    "decided_at",
                )
            },
        }
        not_personal = ["id", "user"]

    def categories(self) -> dict[str, bool]:
        return {
            "necessary": True,
            "functional": self.functional,
            "analytics": self.analytics,
            "targeting": self.targeting,
        }


class MarketingGrant(models.Model):
    """An opt-in to marketing email (CONSENT-4). Current while ``withdrawn_at`` is empty."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="marketing_grants",
        verbose_name=_("account"),
    )
    source = models.CharField(max_length=40, verbose_name=_("where it was given"))
    granted_at = models.DateTimeField(default=timezone.now, verbose_name=_("given on"))
    withdrawn_at = models.DateTimeField(null=True, blank=True, verbose_name=_("withdrawn on"))
    withdrawn_via = models.CharField(max_length=40, blank=True, verbose_name=_("withdrawn through"))

    class Meta:
        verbose_name = _("consent to newsletters")
        verbose_name_plural = _("consents to newsletters")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_current_marketing_grant",
            )
        ]

    class PersonalData:
        subject = "user"
        fields = {
            name: _MARKETING_PROOF
            for name in ("source", "granted_at", "withdrawn_at", "withdrawn_via")
        }
        not_personal = ["id", "user"]
