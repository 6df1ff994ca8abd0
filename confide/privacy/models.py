from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from confide.privacy.inventory import Declared


class DataKey(models.Model):
    """One wrapped AES-256 data key per (subject, scope). Deleting the row shreds the data."""

    #: Scope under which legally held clinical records are encrypted: a client's erasure keeps it.
    CLINICAL_HOLD = "clinical_hold"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Plain integer, not a foreign key: shredding must not depend on the user row surviving.
    subject_id = models.BigIntegerField(db_index=True)
    scope = models.CharField(max_length=40)
    kek_id = models.CharField(max_length=64)
    wrapped = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subject_id", "scope"], name="one_data_key_per_scope")
        ]

    class PersonalData:
        subject = None  # key material, not data about a person
        fields = {
            "wrapped": Declared(
                "credentials", ["security"], "legal_obligation", "account_lifetime", "delete"
            ),
        }
        not_personal = ["id", "subject_id", "scope", "kek_id", "created_at"]


class ShredRecord(models.Model):
    """Proof that a subject's data key was destroyed: ids and time only."""

    subject_id = models.BigIntegerField(db_index=True)
    scope = models.CharField(max_length=40)
    key_id = models.UUIDField()
    shredded_at = models.DateTimeField(auto_now_add=True)

    class PersonalData:
        subject = None
        fields: dict[str, Declared] = {}
        not_personal = ["id", "subject_id", "scope", "key_id", "shredded_at"]


class Restriction(models.Model):
    """RIGHTS-4: while present, the person's data is stored but not otherwise processed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="restriction"
    )
    since = models.DateTimeField(auto_now_add=True)

    class PersonalData:
        subject = "user"
        fields = {
            "since": Declared(
                "consent",
                ["legal"],
                "legal_obligation",
                "account_lifetime",
                "delete",
                editable=False,
            ),
        }
        not_personal = ["id", "user"]


class Objection(models.Model):
    """RIGHTS-5: the person objects to one purpose based on legitimate interest."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="objections"
    )
    purpose = models.CharField(max_length=40)
    since = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "purpose"], name="one_objection_per_purpose")
        ]

    class PersonalData:
        subject = "user"
        fields = {
            "purpose": Declared(
                "consent",
                ["legal"],
                "legal_obligation",
                "account_lifetime",
                "delete",
                editable=False,
            ),
            "since": Declared(
                "consent",
                ["legal"],
                "legal_obligation",
                "account_lifetime",
                "delete",
                editable=False,
            ),
        }
        not_personal = ["id", "user"]
