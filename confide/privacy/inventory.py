"""The personal-data inventory: the one declaration every model makes about its fields.

Each model of ours carries an inner ``class PersonalData`` (see docs/privacy-kernel.md)::

    class Message(models.Model):
        ...
        class PersonalData:
            subject = "conversation__client"      # path to the data subject's user id
            fields = {
                "body": Declared(CONTENT, [CARE], CONSENT_EXPLICIT, "account_lifetime", SHRED),
            }
            not_personal = ["id", "created_at"]

Export, erasure, retention, the policy's "what we collect" section, the privacy manifest and the
advertising guard all read these declarations. There is no second list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from confide.presets import current_preset

# --- Vocabulary -----------------------------------------------------------------------------------
# key -> (human label, Fides data_category)
CATEGORIES: dict[str, tuple[Any, str]] = {
    "identity": (_("Identity (name, nickname, date of birth)"), "user.name"),
    "contact": (_("Contact details (email, phone)"), "user.contact"),
    "health": (
        _("Health information (questionnaire answers, scores, care records)"),
        "user.health_and_medical",
    ),
    "financial": (_("Financial details (bank account, payments)"), "user.financial"),
    "government_id": (_("Government identifiers"), "user.government_id"),
    "professional": (
        _("Professional credentials (licence, education, work history)"),
        "user.professional",
    ),
    "usage": (_("Usage data (pages seen, sign-ins, devices)"), "user.behavior"),
    "content": (_("Content you write (messages, journals, worksheets, notes)"), "user.content"),
    "credentials": (
        _("Sign-in credentials (password hash, security keys)"),
        "user.authorization.credentials",
    ),
    "preferences": (_("Preferences and settings"), "user.behavior.preferences"),
    "location": (_("Country, region and time zone"), "user.location.imprecise"),
    "consent": (_("Consent and policy acceptance records"), "user.privacy_preferences"),
    "network": (_("Network data (IP address, browser)"), "user.device"),
}

# key -> (human label, Fides data_use)
PURPOSES: dict[str, tuple[Any, str]] = {
    "account": (_("to run your account and sign you in"), "essential.service.authentication"),
    "care": (_("to provide counseling and care"), "essential.service"),
    "matching": (_("to match you with a suitable counselor"), "essential.service.operations"),
    "scheduling": (_("to book and remind you of sessions"), "essential.service.notifications"),
    "verification": (
        _("to verify counselors before they see clients"),
        "essential.service.operations.verification",
    ),
    "payments": (_("to take payments and pay counselors"), "essential.service.payment_processing"),
    "security": (_("to keep accounts and data secure"), "essential.service.security"),
    "legal": (_("to meet legal obligations"), "essential.legal"),
    "support": (_("to answer your support requests"), "essential.service.operations.support"),
    "analytics": (
        _("to understand how the site is used, with your consent"),
        "analytics.reporting",
    ),
    "marketing": (_("to send news you asked for"), "marketing.communications.email"),
    "advertising": (_("to measure advertising, with your consent"), "marketing.advertising"),
}

LEGAL_BASES: dict[str, Any] = {
    "contract": _("performance of our contract with you"),
    "consent": _("your consent"),
    "explicit_consent": _("your explicit consent to processing of health data"),
    "legal_obligation": _("a legal obligation"),
    "legitimate_interest": _("our legitimate interest"),
    "vital_interest": _("protection of vital interests"),
}

#: Laws a field can be kept under (``Declared.law``). Which law that is, and its name in the
#: reader's language, depends on the jurisdiction: the preset says (``Preset.laws``).
LAWS = frozenset({"clinical_records", "bookkeeping", "accountability", "rights_records"})

# What erasure does to a field.
DELETE = "delete"
ANONYMIZE = "anonymize"
SHRED = "shred"  # the subject's data key is destroyed; ciphertext everywhere becomes unreadable
LEGAL_HOLD = "keep_under_legal_hold"
ERASURE_ACTIONS = {DELETE, ANONYMIZE, SHRED, LEGAL_HOLD}

# Retention rules: key -> human description. Durations come from the preset (retention.py).
RETENTION_RULES: dict[str, Any] = {
    "account_lifetime": _("while your account exists"),
    "usage_period": _("13 months"),
    "codes_1_day": _("one day"),
    "visitor_1_day": _("one day after your last answer, or until you create an account"),
    "tombstone_30_days": _("30 days"),
    "consent_proof": _("while your account exists, then 3 years as proof"),
    "clinical_hold": _("the legal record-keeping period after the last session"),
    "payroll_law": _("the period bookkeeping law requires"),
    "audit_period": _("6 years"),
    "until_done": _("until the task is done, at most 30 days"),
    "signed_in_session": _("until the sign-in expires, at most 12 hours"),
    "outbox_copy": _("7 days"),
}

# Category keys the advertising guard refuses outright (CONSENT-3).
ADVERTISING_FORBIDDEN = {"identity", "contact", "health", "content", "financial", "government_id"}


def law_name(key: str) -> str:
    """The law behind a law key, named by the preset in the active language."""
    return current_preset().law_name(key, translation.get_language() or "en")


@dataclass(frozen=True)
class Declared:
    category: str
    purposes: list[str]
    basis: str
    retention: str
    erasure: str
    #: For LEGAL_HOLD: the key of the law relied on (LAWS); for others optional.
    law: str = ""
    #: Shown in exports but not editable by the subject; says how to ask for a change.
    editable: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    def problems(self) -> list[str]:
        found = []
        if self.category not in CATEGORIES:
            found.append(f"unknown category {self.category!r}")
        found += [f"unknown purpose {p!r}" for p in self.purposes if p not in PURPOSES]
        if not self.purposes:
            found.append("no purpose")
        if self.basis not in LEGAL_BASES:
            found.append(f"unknown legal basis {self.basis!r}")
        if self.retention not in RETENTION_RULES:
            found.append(f"unknown retention rule {self.retention!r}")
        if self.erasure not in ERASURE_ACTIONS:
            found.append(f"unknown erasure behaviour {self.erasure!r}")
        if self.erasure == LEGAL_HOLD and not self.law:
            found.append("legal hold without the law it relies on")
        if self.law and self.law not in LAWS:
            found.append(f"unknown law {self.law!r}")
        return found


@dataclass(frozen=True)
class ModelDeclaration:
    model: type[models.Model]
    subject: str | None
    fields: dict[str, Declared]
    not_personal: frozenset[str]
    #: The row's age for time-based retention (``PersonalData.age_field``), if stated.
    age_field: str | None = None
    #: A column holding the moment the row expires (e.g. a session's ``expire_date``).
    expires_field: str | None = None
    #: Erased with the whole account only, never by category (sign-in data: erasing it alone
    #: would lock the person out).
    account_only: bool = False
    #: Our own words for tables whose library ships no labels in our languages.
    title: Any = None
    labels: dict[str, Any] = field(default_factory=dict)
    #: Path to the user who keeps these rows for the subject (e.g. a note's counselor): named
    #: in the export and the erasure receipt as whom to ask.
    keeper: str | None = None

    @property
    def label(self) -> str:
        return self.model._meta.label

    def title_text(self) -> str:
        return str(self.title or self.model._meta.verbose_name_plural)

    def field_label(self, name: str) -> str:
        if name in self.labels:
            return str(self.labels[name])
        return str(getattr(self.model._meta.get_field(name), "verbose_name", name))

    def subject_filter(self, user_id: Any) -> dict[str, Any]:
        """ORM filter selecting this model's rows about ``user_id``."""
        if self.subject is None:
            return {"pk__in": []}
        if self.subject == "self":
            return {"pk": user_id}
        return {f"{self.subject}_id": user_id}


def our_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("confide.") and not model._meta.proxy
    ]


def third_party_models() -> list[type[models.Model]]:
    """Installed models of libraries (Django, allauth, …) declared in ``third_party.py``."""
    from confide.privacy import third_party

    return third_party.installed_models()


def declared_models() -> list[type[models.Model]]:
    """Every model whose data the kernel handles: ours and the libraries' we declare."""
    return our_models() + third_party_models()


def declaration_for(model: type[models.Model]) -> ModelDeclaration | None:
    from confide.privacy import third_party

    spec = getattr(model, "PersonalData", None) or third_party.spec_for(model._meta.label)
    if spec is None:
        return None
    return ModelDeclaration(
        model=model,
        subject=getattr(spec, "subject", None),
        fields=dict(getattr(spec, "fields", {})),
        not_personal=frozenset(getattr(spec, "not_personal", ())),
        age_field=getattr(spec, "age_field", None),
        expires_field=getattr(spec, "expires_field", None),
        account_only=bool(getattr(spec, "account_only", False)),
        title=getattr(spec, "title", None),
        labels=dict(getattr(spec, "labels", {})),
        keeper=getattr(spec, "keeper", None),
    )


def all_declarations() -> list[ModelDeclaration]:
    """Our models' declarations and the installed libraries' (``third_party.py``)."""
    return [d for model in declared_models() if (d := declaration_for(model)) is not None]


def concrete_field_names(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields]


def problems_for(model: type[models.Model]) -> list[str]:
    declaration = declaration_for(model)
    if declaration is None:
        return [f"{model._meta.label} has no PersonalData declaration"]
    found = []
    names = set(concrete_field_names(model))
    declared = set(declaration.fields) | declaration.not_personal
    for name in sorted(names - declared):
        found.append(f"{model._meta.label}.{name} is not declared")
    for name in sorted(declared - names):
        found.append(f"{model._meta.label}.{name} is declared but is not a field")
    for name, spec in declaration.fields.items():
        found += [f"{model._meta.label}.{name}: {p}" for p in spec.problems()]
    return found
