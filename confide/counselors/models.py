"""Counselor applications (private, reviewed by staff) and public profiles (INTAKE-3, INTAKE-4)."""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from confide.privacy.fields import EncryptedBytesField, EncryptedTextField
from confide.privacy.inventory import Declared

_VERIFY = ["verification"]
#: Licence and registry details: what verification needs, kept while the account exists.
_LICENCE_DATA = Declared(
    "professional", _VERIFY, "legal_obligation", "account_lifetime", "anonymize"
)
_PAY = ["verification", "payments"]
_PAYROLL_LAW = "bookkeeping"  # payee records of counselor payouts


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class BankFormat(models.TextChoices):
    IBAN = "iban", _("IBAN")
    OTHER = "other", _("Other (account and routing number as your bank gives them)")


class CounselorApplication(models.Model):
    """What a counselor submits to be verified. Never shown outside the applicant and staff."""

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("application number")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="counselor_applications",
        verbose_name=_("account"),
    )
    status = models.CharField(
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
        verbose_name=_("status"),
    )
    legal_name = models.CharField(_("legal name"), max_length=200)
    phone = models.CharField(_("phone number"), max_length=32)
    licence_type = models.CharField(_("licence type"), max_length=100)
    licence_number = models.CharField(_("licence number"), max_length=60)
    licence_jurisdiction = models.CharField(_("licence jurisdiction"), max_length=10)
    licence_expiry = models.DateField(_("licence expiry date"))
    npi = models.CharField(_("NPI"), max_length=10, blank=True)
    caqh_id = models.CharField(_("CAQH ProView id"), max_length=20, blank=True)
    gov_id_country = models.CharField(_("country of the government id"), max_length=2)
    gov_id_number = EncryptedTextField(_("government id number"))
    bank_format = models.CharField(
        max_length=10, choices=BankFormat.choices, verbose_name=_("bank account format")
    )
    bank_account = EncryptedTextField(_("bank account"))
    education = EncryptedTextField(_("education"))
    work_history = EncryptedTextField(_("work history"))
    review_reason = models.TextField(blank=True, verbose_name=_("message from the reviewer"))
    submitted_at = models.DateTimeField(default=timezone.now, verbose_name=_("submitted on"))
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided on"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )

    class Meta:
        verbose_name = _("counselor application")
        verbose_name_plural = _("counselor applications")
        ordering = ["submitted_at"]

    class PersonalData:
        subject = "user"
        fields = {
            # Payroll law keeps who was paid; everything else identifying is shredded.
            "legal_name": Declared(
                "identity",
                _PAY,
                "contract",
                "payroll_law",
                "keep_under_legal_hold",
                law=_PAYROLL_LAW,
                editable=False,
            ),
            "phone": Declared("contact", _VERIFY, "contract", "account_lifetime", "anonymize"),
            "licence_type": _LICENCE_DATA,
            "licence_number": _LICENCE_DATA,
            "licence_jurisdiction": _LICENCE_DATA,
            "licence_expiry": _LICENCE_DATA,
            "npi": Declared(
                "professional", _PAY, "legal_obligation", "account_lifetime", "anonymize"
            ),
            "caqh_id": _LICENCE_DATA,
            "gov_id_country": Declared(
                "government_id", _VERIFY, "legal_obligation", "account_lifetime", "delete"
            ),
            "gov_id_number": Declared(
                "government_id", _VERIFY, "legal_obligation", "account_lifetime", "shred"
            ),
            "bank_format": Declared(
                "financial", ["payments"], "contract", "account_lifetime", "delete"
            ),
            "bank_account": Declared(
                "financial", ["payments"], "contract", "account_lifetime", "shred"
            ),
            "education": Declared("professional", _VERIFY, "contract", "account_lifetime", "shred"),
            "work_history": Declared(
                "professional", _VERIFY, "contract", "account_lifetime", "shred"
            ),
            "review_reason": Declared(
                "professional", _VERIFY, "contract", "account_lifetime", "delete", editable=False
            ),
            "submitted_at": Declared(
                "professional", _VERIFY, "contract", "account_lifetime", "anonymize", editable=False
            ),
            "decided_at": Declared(
                "professional", _VERIFY, "contract", "account_lifetime", "anonymize", editable=False
            ),
        }
        not_personal = ["id", "user", "status", "decided_by"]

    @property
    def is_open(self) -> bool:
        return self.status in {ApplicationStatus.SUBMITTED, ApplicationStatus.CHANGES_REQUESTED}


class ApplicationDocument(models.Model):
    """An uploaded credential (licence, diploma, id), encrypted; type sniffed from its bytes."""

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("document number")
    )
    application = models.ForeignKey(
        CounselorApplication,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("application"),
    )
    kind = models.CharField(max_length=20, verbose_name=_("kind of document"))
    content_type = models.CharField(max_length=40, verbose_name=_("file type"))
    size = models.PositiveIntegerField(verbose_name=_("size (bytes)"))
    content = EncryptedBytesField(verbose_name=_("file"))
    uploaded_at = models.DateTimeField(default=timezone.now, verbose_name=_("uploaded on"))

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")

    class PersonalData:
        subject = "application__user"
        fields = {
            "content": Declared(
                "government_id", _VERIFY, "legal_obligation", "account_lifetime", "shred"
            ),
            "uploaded_at": Declared(
                "professional", _VERIFY, "contract", "account_lifetime", "delete", editable=False
            ),
        }
        not_personal = ["id", "application", "kind", "content_type", "size"]


class CounselorProfile(models.Model):
    """The public face of a verified counselor. ``verified_at`` and ``licence_expiry`` come from
    the approved application; only staff approval sets them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="counselor_profile",
        verbose_name=_("account"),
    )
    display_name = models.CharField(_("display name"), max_length=100)
    bio = models.JSONField(
        default=dict, blank=True, verbose_name=_("about you")
    )  # {"es": "...", "en": "..."}
    gender = models.CharField(_("gender"), max_length=20, blank=True)
    capacity = models.PositiveSmallIntegerField(_("how many clients you can take"), default=20)
    accepting = models.BooleanField(_("accepting new clients"), default=True)
    verified_at = models.DateTimeField(null=True, blank=True, verbose_name=_("verified on"))
    licence_expiry = models.DateField(null=True, blank=True, verbose_name=_("licence expiry date"))
    licence_warned_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("licence expiry reminder sent on")
    )
    photo = models.FileField(upload_to="counselors/photos/", blank=True, verbose_name=_("photo"))
    #: Denormalised copy of the tags ("|language:es|specialty:anxiety|…|"), kept by
    #: services.set_tags, so matching scores every counselor in one pass without a lookup per
    #: tag (see docs/matching.md). ProfileTag stays the source of truth.
    search_codes = models.TextField(
        blank=True, default="", editable=False, verbose_name=_("search terms")
    )

    class Meta:
        verbose_name = _("counselor profile")
        verbose_name_plural = _("counselor profiles")
        indexes = [models.Index(fields=["verified_at", "licence_expiry", "accepting"])]

    class PersonalData:
        subject = "user"
        fields = {
            "display_name": Declared(
                "identity", ["matching", "care"], "contract", "account_lifetime", "anonymize"
            ),
            "bio": Declared("professional", ["matching"], "contract", "account_lifetime", "delete"),
            "gender": Declared("identity", ["matching"], "consent", "account_lifetime", "delete"),
            "capacity": Declared(
                "professional", ["matching"], "contract", "account_lifetime", "delete"
            ),
            "accepting": Declared(
                "professional", ["matching"], "contract", "account_lifetime", "delete"
            ),
            "verified_at": Declared(
                "professional",
                _VERIFY,
                "legal_obligation",
                "account_lifetime",
                "anonymize",
                editable=False,
            ),
            "licence_expiry": Declared(
                "professional",
                _VERIFY,
                "legal_obligation",
                "account_lifetime",
                "anonymize",
                editable=False,
            ),
            "licence_warned_at": Declared(
                "professional", _VERIFY, "contract", "account_lifetime", "delete", editable=False
            ),
            "photo": Declared("identity", ["matching"], "consent", "account_lifetime", "delete"),
            "search_codes": Declared(
                "professional",
                ["matching"],
                "contract",
                "account_lifetime",
                "delete",
                editable=False,
            ),
        }
        not_personal = ["id", "user"]

    def is_listable(self, today: date | None = None) -> bool:
        """Verified with a current licence: the only profiles anyone else ever sees."""
        today = today or timezone.localdate()
        return (
            self.verified_at is not None
            and self.licence_expiry is not None
            and self.licence_expiry >= today
        )

    def codes(self, kind: str) -> list[str]:
        cached = getattr(self, "_tag_cache", None)
        if cached is None:
            cached = {}
            for tag in self.tags.all():
                cached.setdefault(tag.kind, []).append(tag.code)
            self._tag_cache = cached
        return sorted(cached.get(kind, []))

    @staticmethod
    def encode_codes(pairs: list[tuple[str, str]]) -> str:
        return "|" + "|".join(sorted(f"{kind}:{code}" for kind, code in pairs)) + "|"

    def bio_for(self, language: str) -> str:
        return str(self.bio.get(language) or next(iter(self.bio.values()), ""))


class ProfileTag(models.Model):
    """One code of a profile's vocabulary (specialty, approach, language, session type or
    licence jurisdiction). A table rather than a JSON list so matching filters in SQL."""

    profile = models.ForeignKey(
        CounselorProfile, on_delete=models.CASCADE, related_name="tags", verbose_name=_("profile")
    )
    kind = models.CharField(max_length=20, verbose_name=_("kind"))
    code = models.CharField(max_length=20, verbose_name=_("value"))

    class Meta:
        verbose_name = _("profile entry")
        verbose_name_plural = _("profile entries")
        constraints = [
            models.UniqueConstraint(fields=["profile", "kind", "code"], name="unique_profile_tag")
        ]
        indexes = [models.Index(fields=["kind", "code"])]

    class PersonalData:
        subject = "profile__user"
        fields = {
            "code": Declared(
                "professional", ["matching"], "contract", "account_lifetime", "delete"
            ),
        }
        not_personal = ["id", "profile", "kind"]
