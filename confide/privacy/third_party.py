"""Declarations for the tables of the libraries we install (Django, allauth), in the same
vocabulary as our own ``PersonalData`` classes (``inventory.Declared``).

We cannot add an inner class to a library's model, so each is declared here by its label; the
inventory reads these exactly like ours (``inventory.declaration_for``), and so do export,
erasure, retention, the manifest and the "what we collect" page. ``schema.undeclared_columns``
compares the real database with both: a library upgrade that adds a column fails the tests until
the column is declared here. Labels and titles are ours because allauth ships no Albanian.

Task results: Celery keeps none here (no result backend is configured); if a result backend
such as ``django_celery_results`` is installed, the schema check names its tables until they are
declared below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _

from confide.privacy.inventory import DELETE, Declared

_SIGN_IN = ["account", "security"]


def _kept(category: str, purposes: list[str], basis: str, rule: str) -> Declared:
    return Declared(category, purposes, basis, rule, DELETE, editable=False)


@dataclass(frozen=True)
class ThirdParty:
    """What a ``PersonalData`` class says, for a model we do not own."""

    subject: str | None
    fields: dict[str, Declared]
    not_personal: list[str]
    title: Any = None
    labels: dict[str, Any] = field(default_factory=dict)
    age_field: str | None = None
    expires_field: str | None = None
    account_only: bool = False


#: Tables holding nothing about a person: configuration, permissions, content types.
_NOTHING_PERSONAL: dict[str, list[str]] = {
    "auth.Permission": ["id", "name", "content_type", "codename"],
    "auth.Group": ["id", "name"],
    "auth.Group_permissions": ["id", "group", "permission"],
    "contenttypes.ContentType": ["id", "app_label", "model"],
    # The OAuth client registrations of the platform (secrets, not personal data; the admin
    # hides them, docs/privacy-kernel.md).
    "socialaccount.SocialApp": [
        "id",
        "provider",
        "provider_id",
        "name",
        "client_id",
        "secret",
        "key",
        "settings",
    ],
    # Staff group and permission grants: like ``User.role``, a setting of the account.
    "accounts.User_groups": ["id", "user", "group"],
    "accounts.User_user_permissions": ["id", "user", "permission"],
}

_SUBJECTS = {"accounts.User_groups": "user", "accounts.User_user_permissions": "user"}

DECLARATIONS: dict[str, ThirdParty] = {
    label: ThirdParty(subject=_SUBJECTS.get(label), fields={}, not_personal=columns)
    for label, columns in _NOTHING_PERSONAL.items()
}

DECLARATIONS |= {
    "account.EmailAddress": ThirdParty(
        subject="user",
        fields={
            "email": _kept("contact", _SIGN_IN, "contract", "account_lifetime"),
            "verified": _kept("contact", _SIGN_IN, "contract", "account_lifetime"),
            "primary": _kept("contact", _SIGN_IN, "contract", "account_lifetime"),
        },
        not_personal=["id", "user"],
        title=_("Email addresses you sign in with"),
        labels={
            "email": _("email address"),
            "verified": _("verified"),
            "primary": _("primary address"),
        },
        account_only=True,
    ),
    "account.EmailConfirmation": ThirdParty(
        subject="email_address__user",
        fields={
            "created": _kept("usage", _SIGN_IN, "contract", "codes_1_day"),
            "sent": _kept("usage", _SIGN_IN, "contract", "codes_1_day"),
            "key": _kept("credentials", _SIGN_IN, "contract", "codes_1_day"),
        },
        not_personal=["id", "email_address"],
        title=_("Email address confirmations"),
        labels={"created": _("created on"), "sent": _("sent on"), "key": _("confirmation key")},
        age_field="created",
        account_only=True,
    ),
    "mfa.Authenticator": ThirdParty(
        subject="user",
        fields={
            "data": _kept("credentials", _SIGN_IN, "contract", "account_lifetime"),
            "created_at": _kept("usage", _SIGN_IN, "contract", "account_lifetime"),
            "last_used_at": _kept("usage", _SIGN_IN, "contract", "account_lifetime"),
        },
        # The kind (passkey, authenticator app, recovery codes), like SignInRecord.method.
        not_personal=["id", "user", "type"],
        title=_("Passkeys, authenticator apps and recovery codes"),
        labels={
            "data": _("key material"),
            "created_at": _("added on"),
            "last_used_at": _("last used on"),
        },
        account_only=True,
    ),
    "socialaccount.SocialAccount": ThirdParty(
        subject="user",
        fields={
            "uid": _kept("identity", _SIGN_IN, "contract", "account_lifetime"),
            "extra_data": _kept("identity", _SIGN_IN, "contract", "account_lifetime"),
            "last_login": _kept("usage", _SIGN_IN, "contract", "account_lifetime"),
            "date_joined": _kept("usage", _SIGN_IN, "contract", "account_lifetime"),
        },
        not_personal=["id", "user", "provider"],
        title=_("Accounts elsewhere you sign in with (Google, Facebook)"),
        labels={
            "uid": _("account number at the provider"),
            "extra_data": _("what the provider sent us"),
            "last_login": _("last sign-in"),
            "date_joined": _("linked on"),
        },
        account_only=True,
    ),
    "socialaccount.SocialToken": ThirdParty(
        subject="account__user",
        fields={
            "token": _kept("credentials", _SIGN_IN, "contract", "account_lifetime"),
            "token_secret": _kept("credentials", _SIGN_IN, "contract", "account_lifetime"),
            "expires_at": _kept("usage", _SIGN_IN, "contract", "account_lifetime"),
        },
        not_personal=["id", "app", "account"],
        title=_("Access tokens from the providers you sign in with"),
        labels={
            "token": _("access token"),
            "token_secret": _("token secret"),
            "expires_at": _("expires on"),
        },
        account_only=True,
    ),
    "usersessions.UserSession": ThirdParty(
        subject="user",
        fields={
            "ip": _kept("network", ["security"], "legitimate_interest", "signed_in_session"),
            "user_agent": _kept(
                "network", ["security"], "legitimate_interest", "signed_in_session"
            ),
            "created_at": _kept("usage", _SIGN_IN, "contract", "signed_in_session"),
            "last_seen_at": _kept("usage", _SIGN_IN, "contract", "signed_in_session"),
            "session_key": _kept("credentials", _SIGN_IN, "contract", "signed_in_session"),
            "data": _kept("usage", _SIGN_IN, "contract", "signed_in_session"),
        },
        not_personal=["id", "user"],
        title=_("Devices you are signed in on"),
        labels={
            "ip": _("IP address"),
            "user_agent": _("browser"),
            "created_at": _("signed in on"),
            "last_seen_at": _("last seen on"),
            "session_key": _("session key"),
            "data": _("session details"),
        },
        # The absolute sign-in lifetime runs from the sign-in, which starts a new session key
        # and so a new row: past it the row describes a session that can no longer be used.
        age_field="created_at",
        account_only=True,
    ),
    "sessions.Session": ThirdParty(
        # The row names its person only inside the signed payload; erasure reaches a person's
        # sessions through their sign-in sessions (UserSession.session_key).
        subject=None,
        fields={
            "session_key": _kept("credentials", _SIGN_IN, "contract", "signed_in_session"),
            "session_data": _kept("usage", _SIGN_IN, "contract", "signed_in_session"),
            "expire_date": _kept("usage", _SIGN_IN, "contract", "signed_in_session"),
        },
        not_personal=[],
        title=_("Browser sessions"),
        labels={
            "session_key": _("session key"),
            "session_data": _("session contents"),
            "expire_date": _("expires on"),
        },
        expires_field="expire_date",
    ),
    "admin.LogEntry": ThirdParty(
        subject="user",  # the staff member who made the change
        fields={
            name: _kept("usage", ["security"], "legitimate_interest", "audit_period")
            for name in ("action_time", "object_id", "object_repr", "action_flag", "change_message")
        },
        not_personal=["id", "user", "content_type"],
        title=_("Changes you made in the administration pages"),
        labels={
            "action_time": _("when"),
            "object_id": _("record changed"),
            "object_repr": _("record name"),
            "action_flag": _("kind of change"),
            "change_message": _("what changed"),
        },
        age_field="action_time",
    ),
}

#: Tables with no model at all, and why they hold nothing personal.
NO_MODEL_TABLES: dict[str, str] = {
    "django_migrations": "which schema migrations were applied, and when",
}


def spec_for(label: str) -> ThirdParty | None:
    return DECLARATIONS.get(label)


def installed_models() -> list[type[models.Model]]:
    """The declared library models that are installed here (a missing app is simply absent)."""
    found = []
    for label in DECLARATIONS:
        try:
            found.append(apps.get_model(label))
        except LookupError:
            continue
    return found
