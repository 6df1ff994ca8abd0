from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from confide.presets import current_preset
from confide.privacy.inventory import Declared


class Role(models.TextChoices):
    CLIENT = "client", _("Client")
    COUNSELOR = "counselor", _("Counselor")
    TEAM_LEADER = "team_leader", _("Team leader")
    STAFF = "staff", _("Support staff")
    ADMIN = "admin", _("Platform administrator")


CLINICIAN_ROLES = frozenset({Role.COUNSELOR, Role.TEAM_LEADER})


class ClientNumber(models.Model):
    """Allocates client numbers. An auto-increment key is never handed out twice, even under
    concurrent sign-ups or after deletions (SQLite AUTOINCREMENT, PostgreSQL sequence)."""

    id = models.BigAutoField(primary_key=True, verbose_name=_("client number"))

    class Meta:
        verbose_name = _("client number")
        verbose_name_plural = _("client numbers")

    class PersonalData:
        subject = None
        fields: dict[str, Declared] = {}
        not_personal = ["id"]


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("Users need an email address")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True, role=Role.ADMIN)
        return self.create_user(email, password, **extra)


_ACCOUNT = ["account"]


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email address"), unique=True)
    role = models.CharField(
        max_length=20, choices=Role.choices, default=Role.CLIENT, verbose_name=_("role")
    )
    client_number = models.BigIntegerField(
        unique=True, editable=False, verbose_name=_("client number")
    )
    nickname = models.CharField(_("nickname"), max_length=60, blank=True)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("phone number"), max_length=32, blank=True)
    phone_verified_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("phone number verified on")
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    timezone = models.CharField(_("time zone"), max_length=64, blank=True)
    is_active = models.BooleanField(default=True, verbose_name=_("active"))
    is_staff = models.BooleanField(default=False, verbose_name=_("may use the admin site"))
    date_joined = models.DateTimeField(default=dj_timezone.now, verbose_name=_("joined on"))
    blocked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("blocked on"))
    blocked_reason = models.CharField(
        max_length=300, blank=True, verbose_name=_("reason for blocking")
    )
    #: Profile fields the person chose to hide from others (RIGHTS-8).
    hidden_fields = models.JSONField(
        default=list, blank=True, verbose_name=_("details hidden from others")
    )

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    class PersonalData:
        subject = "self"
        fields = {
            "email": Declared("contact", _ACCOUNT, "contract", "account_lifetime", "anonymize"),
            "nickname": Declared("identity", _ACCOUNT, "contract", "account_lifetime", "anonymize"),
            "first_name": Declared(
                "identity", _ACCOUNT, "contract", "account_lifetime", "anonymize"
            ),
            "last_name": Declared(
                "identity", _ACCOUNT, "contract", "account_lifetime", "anonymize"
            ),
            "date_of_birth": Declared(
                "identity",
                ["account", "legal"],
                "legal_obligation",
                "account_lifetime",
                "anonymize",
            ),
            "phone": Declared("contact", _ACCOUNT, "consent", "account_lifetime", "anonymize"),
            "phone_verified_at": Declared(
                "contact", _ACCOUNT, "consent", "account_lifetime", "anonymize"
            ),
            "password": Declared(
                "credentials",
                ["security"],
                "contract",
                "account_lifetime",
                "delete",
                editable=False,
            ),
            "last_login": Declared(
                "usage",
                ["security"],
                "legitimate_interest",
                "account_lifetime",
                "anonymize",
                editable=False,
            ),
            "client_number": Declared(
                "identity", _ACCOUNT, "contract", "account_lifetime", "anonymize", editable=False
            ),
            "language": Declared(
                "preferences", _ACCOUNT, "contract", "account_lifetime", "anonymize"
            ),
            "timezone": Declared(
                "location", ["account", "scheduling"], "contract", "account_lifetime", "anonymize"
            ),
            "date_joined": Declared(
                "usage", _ACCOUNT, "contract", "account_lifetime", "anonymize", editable=False
            ),
            "blocked_reason": Declared(
                "usage",
                ["security"],
                "legitimate_interest",
                "account_lifetime",
                "anonymize",
                editable=False,
            ),
            "hidden_fields": Declared(
                "preferences", _ACCOUNT, "contract", "account_lifetime", "delete"
            ),
        }
        not_personal = ["id", "role", "is_active", "is_staff", "is_superuser", "blocked_at"]

    def __str__(self) -> str:
        return f"#{self.client_number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.client_number is None:
            self.client_number = ClientNumber.objects.create().pk
        self.email = self.email.lower()
        super().save(*args, **kwargs)

    @property
    def real_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def display_name(self) -> str:
        """What others see (ACC-3): counselors and real-name presets show the real name."""
        real_name_only = (
            self.role in CLINICIAN_ROLES or current_preset().name_policy == "real_name_required"
        )
        if real_name_only:
            return self.real_name or str(_("Member %(number)s") % {"number": self.client_number})
        return (
            self.nickname
            or self.first_name
            or str(_("Member %(number)s") % {"number": self.client_number})
        )

    @property
    def is_clinician(self) -> bool:
        return self.role in CLINICIAN_ROLES

    @property
    def is_client(self) -> bool:
        return self.role == Role.CLIENT

    @property
    def is_blocked(self) -> bool:
        return self.blocked_at is not None


_SECURITY = ["security"]


class SignInEvent(models.TextChoices):
    SIGNED_IN = "signed_in", _("Signed in")
    SIGNED_OUT = "signed_out", _("Signed out")
    FAILED = "failed", _("Failed sign-in attempt")
    FACTOR_ADDED = "factor_added", _("Security method added")
    FACTOR_REMOVED = "factor_removed", _("Security method removed")
    FACTOR_RESET = "factor_reset", _("Recovery codes renewed")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    BLOCKED = "blocked", _("Account blocked")


METHOD_LABELS = {
    "password": _("Password"),
    "code": _("Emailed code"),
    "totp": _("Authenticator app"),
    "webauthn": _("Passkey"),
    "recovery_codes": _("Recovery code"),
    "mfa": _("Second factor"),
    "socialaccount": _("Google or Facebook"),
    "session": _("Existing session"),
}


class SignInRecord(models.Model):
    """One security event of one account (LOG-2, LOG-3): when, from where, how — never a
    password, code, key material or any content. ``session_hash`` is a SHA-256 of the session
    key so messages can be counted per sign-in without storing a usable cookie value."""

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="sign_in_records",
        null=True,
        blank=True,
        verbose_name=_("account"),
    )
    event = models.CharField(max_length=20, choices=SignInEvent.choices, verbose_name=_("event"))
    method = models.CharField(max_length=32, blank=True, verbose_name=_("method"))
    at = models.DateTimeField(default=dj_timezone.now, db_index=True, verbose_name=_("time"))
    ip_address = models.GenericIPAddressField(null=True, blank=True, verbose_name=_("IP address"))
    user_agent = models.CharField(max_length=300, blank=True, verbose_name=_("browser"))
    session_hash = models.CharField(
        max_length=64, blank=True, db_index=True, verbose_name=_("session fingerprint")
    )
    messages_sent = models.PositiveIntegerField(default=0, verbose_name=_("messages sent"))
    messages_received = models.PositiveIntegerField(default=0, verbose_name=_("messages received"))
    goals_assigned = models.PositiveIntegerField(default=0, verbose_name=_("goals assigned"))
    goals_started = models.PositiveIntegerField(default=0, verbose_name=_("goals started"))
    goals_completed = models.PositiveIntegerField(default=0, verbose_name=_("goals completed"))

    class Meta:
        verbose_name = _("sign-in record")
        verbose_name_plural = _("sign-in records")
        ordering = ("-at", "-id")
        indexes = (models.Index(fields=("user", "-at")),)

    class PersonalData:
        subject = "user"
        fields = {
            "at": Declared("usage", _SECURITY, "legitimate_interest", "usage_period", "delete"),
            "ip_address": Declared(
                "network", _SECURITY, "legitimate_interest", "usage_period", "delete"
            ),
            "user_agent": Declared(
                "network", _SECURITY, "legitimate_interest", "usage_period", "delete"
            ),
            "session_hash": Declared(
                "network", _SECURITY, "legitimate_interest", "usage_period", "delete"
            ),
            "messages_sent": Declared(
                "usage", _SECURITY, "legitimate_interest", "usage_period", "delete"
            ),
            "messages_received": Declared(
                "usage", _SECURITY, "legitimate_interest", "usage_period", "delete"
            ),
            "goals_assigned": Declared(
                "usage", _SECURITY, "legitimate_interest", "usage_period", "delete"
            ),
            "goals_started": Declared(
                "usage", _SECURITY, "legitimate_interest", "usage_period", "delete"
            ),
            "goals_completed": Declared(
                "usage", _SECURITY, "legitimate_interest", "usage_period", "delete"
            ),
        }
        not_personal = ["id", "user", "event", "method"]

    @property
    def method_label(self) -> str:
        return str(METHOD_LABELS.get(self.method, self.method))


class AgeTombstone(models.Model):
    """What an under-age sign-up leaves behind (ACC-8): a keyed hash of the email address, kept
    for a short time only so the same person is not asked again straight away."""

    email_hash = models.CharField(
        max_length=64, db_index=True, verbose_name=_("keyed hash of the email address")
    )
    created_at = models.DateTimeField(
        default=dj_timezone.now, db_index=True, verbose_name=_("created on")
    )

    class Meta:
        verbose_name = _("refused under-age sign-up")
        verbose_name_plural = _("refused under-age sign-ups")

    class PersonalData:
        subject = None
        fields = {
            "email_hash": Declared(
                "contact", ["legal"], "legal_obligation", "tombstone_30_days", "delete"
            ),
        }
        not_personal = ["id", "created_at"]
