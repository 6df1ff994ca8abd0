from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from confide.privacy.inventory import Declared


class DataKey(models.Model):
    """One wrapped AES-256 data key per (subject, scope). Deleting the row shreds the data."""

    #: Scope under which legally held clinical records are encrypted: a client's erasure keeps it.
    CLINICAL_HOLD = "clinical_hold"
    #: Scope of a client's clinical notes (confide/records): kept through the client's erasure
    #: and shredded only once no note under it remains (their own retention and holds).
    CLINICAL_NOTES = "clinical_notes"
    #: Scopes the account erasure never shreds: the retention sweep does, when the law allows.
    HELD_SCOPES = (CLINICAL_HOLD, CLINICAL_NOTES)

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("key id")
    )
    # Plain integer, not a foreign key: shredding must not depend on the user row surviving.
    subject_id = models.BigIntegerField(db_index=True, verbose_name=_("data subject"))
    scope = models.CharField(max_length=40, verbose_name=_("scope"))
    kek_id = models.CharField(max_length=64, verbose_name=_("master key"))
    wrapped = models.BinaryField(verbose_name=_("encrypted key"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created on"))

    class Meta:
        verbose_name = _("data key")
        verbose_name_plural = _("data keys")
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

    subject_id = models.BigIntegerField(db_index=True, verbose_name=_("data subject"))
    scope = models.CharField(max_length=40, verbose_name=_("scope"))
    key_id = models.UUIDField(verbose_name=_("key id"))
    shredded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("destroyed on"))

    class Meta:
        verbose_name = _("key destruction record")
        verbose_name_plural = _("key destruction records")

    class PersonalData:
        subject = None
        fields: dict[str, Declared] = {}
        not_personal = ["id", "subject_id", "scope", "key_id", "shredded_at"]


#: A person's standing choice about processing: kept while the account exists, deleted with it.
_CHOICE_RECORD = Declared(
    "consent", ["legal"], "legal_obligation", "account_lifetime", "delete", editable=False
)


class Restriction(models.Model):
    """RIGHTS-4: while present, the person's data is stored but not otherwise processed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="restriction",
        verbose_name=_("person"),
    )
    since = models.DateTimeField(auto_now_add=True, verbose_name=_("since"))

    class Meta:
        verbose_name = _("restriction of processing")
        verbose_name_plural = _("restrictions of processing")

    class PersonalData:
        subject = "user"
        fields = {
            "since": _CHOICE_RECORD,
        }
        not_personal = ["id", "user"]


class Objection(models.Model):
    """RIGHTS-5: the person objects to one purpose based on legitimate interest."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="objections",
        verbose_name=_("person"),
    )
    purpose = models.CharField(max_length=40, verbose_name=_("purpose"))
    since = models.DateTimeField(auto_now_add=True, verbose_name=_("since"))

    class Meta:
        verbose_name = _("objection to processing")
        verbose_name_plural = _("objections to processing")
        constraints = [
            models.UniqueConstraint(fields=["user", "purpose"], name="one_objection_per_purpose")
        ]

    class PersonalData:
        subject = "user"
        fields = {
            "purpose": _CHOICE_RECORD,
            "since": _CHOICE_RECORD,
        }
        not_personal = ["id", "user"]


# --- Rights requests (RIGHTS-1 … RIGHTS-8) -------------------------------------------------------
# Only here: sealed fields import crypto, which needs DataKey and ShredRecord defined above.
from confide.privacy.fields import EncryptedTextField  # noqa: E402

_PROOF = Declared(
    "consent",
    ["legal"],
    "legal_obligation",
    "audit_period",
    "keep_under_legal_hold",
    law="rights_records",
    editable=False,
)


class RightsRequest(models.Model):
    """One request by a person about their data, tracked through a small state machine:
    received → verified → in progress → done, or refused with a reason. Due in one month."""

    class Kind(models.TextChoices):
        EXPORT = "export", _("Copy of my data")
        RECTIFY = "rectify", _("Correct my data")
        ERASE_ITEM = "erase_item", _("Delete one item")
        ERASE_CATEGORIES = "erase_categories", _("Delete chosen kinds of data")
        ERASE_ACCOUNT = "erase_account", _("Delete my account")
        RESTRICT = "restrict", _("Restrict processing")
        LIFT_RESTRICTION = "lift_restriction", _("Lift restriction")
        OBJECT = "object", _("Object to a use")
        WITHDRAW_OBJECTION = "withdraw_objection", _("Withdraw an objection")
        HIDE_FIELDS = "hide_fields", _("Hide profile details")
        #: Anything the centre has no button for, in the person's own words; staff handle it.
        OTHER = "other", _("Another request")

    class State(models.TextChoices):
        RECEIVED = "received", _("Received")
        VERIFIED = "verified", _("Identity verified")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        REFUSED = "refused", _("Refused")

    #: Allowed transitions; anything else is a programming error.
    TRANSITIONS: dict[str, frozenset[str]] = {
        "received": frozenset({"verified", "refused"}),
        "verified": frozenset({"in_progress", "refused"}),
        "in_progress": frozenset({"done", "refused"}),
        "done": frozenset(),
        "refused": frozenset(),
    }

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("request number")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="rights_requests",
        verbose_name=_("person"),
    )
    kind = models.CharField(max_length=24, choices=Kind.choices, verbose_name=_("request"))
    state = models.CharField(
        max_length=12, choices=State.choices, default=State.RECEIVED, verbose_name=_("status")
    )
    #: Codes and ids only (categories, purpose, item label and id, field names).
    scope = models.JSONField(default=dict, blank=True, verbose_name=_("what it covers"))
    refusal_reason = models.CharField(
        max_length=300, blank=True, verbose_name=_("reason for refusal")
    )
    received_at = models.DateTimeField(default=timezone.now, verbose_name=_("received on"))
    due_at = models.DateTimeField(verbose_name=_("answer due by"))
    completed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("completed on"))
    #: Percent done, for the export's progress bar.
    progress = models.PositiveSmallIntegerField(default=0, verbose_name=_("progress"))
    #: For erasure: what was erased, what is kept, why and until when (labels are codes).
    receipt = models.JSONField(default=dict, blank=True, verbose_name=_("receipt"))
    #: For export: the archive in private storage, and when its link stops working.
    archive_name = models.CharField(max_length=200, blank=True, verbose_name=_("archive file"))
    archive_expires_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("download available until")
    )
    #: For "other": the request in the person's words (may say anything, so it is sealed).
    details = EncryptedTextField(null=True, blank=True, verbose_name=_("your request"))

    class Meta:
        verbose_name = _("privacy request")
        verbose_name_plural = _("privacy requests")
        ordering = ["-received_at"]

    class PersonalData:
        subject = "user"
        fields = {
            "kind": _PROOF,
            "state": _PROOF,
            "scope": _PROOF,
            "refusal_reason": _PROOF,
            "received_at": _PROOF,
            "due_at": _PROOF,
            "completed_at": _PROOF,
            "receipt": _PROOF,
            # Free text can hold anything: shredded with the account, its row stays as proof.
            "details": Declared(
                "content", ["legal"], "legal_obligation", "audit_period", "shred", editable=False
            ),
        }
        not_personal = ["id", "user", "progress", "archive_name", "archive_expires_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.state}"

    @property
    def is_open(self) -> bool:
        return self.state not in {self.State.DONE, self.State.REFUSED}

    @property
    def archive_available(self) -> bool:
        return bool(
            self.archive_name
            and self.archive_expires_at
            and self.archive_expires_at > timezone.now()
            and self.state == self.State.DONE
        )


class LegalHold(models.Model):
    """After a full-account erasure: the data the law makes us keep is restricted (readable only
    through audited break-glass) until ``until``, when the retention sweep deletes it."""

    subject_id = models.BigIntegerField(unique=True, verbose_name=_("data subject"))
    since = models.DateTimeField(default=timezone.now, verbose_name=_("since"))
    until = models.DateTimeField(db_index=True, verbose_name=_("until"))
    law = models.CharField(max_length=200, verbose_name=_("law"))

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")

    class PersonalData:
        subject = "subject"
        fields = {
            "since": _PROOF,
            "until": _PROOF,
        }
        not_personal = ["id", "subject_id", "law"]
        #: Proof of the hold is kept for the audit period after the hold ends, not after it began.
        age_field = "until"


class Aggregate(models.Model):
    """Anonymous counts rolled up before the retention sweep deletes the rows they came from
    (SHARE-5): a metric per period, never per person."""

    metric = models.CharField(max_length=80, verbose_name=_("measure"))
    period = models.CharField(max_length=20, verbose_name=_("period"))
    value = models.BigIntegerField(default=0, verbose_name=_("value"))

    class Meta:
        verbose_name = _("anonymous aggregate")
        verbose_name_plural = _("anonymous aggregates")
        constraints = [
            models.UniqueConstraint(fields=["metric", "period"], name="one_aggregate_per_period")
        ]

    class PersonalData:
        subject = None
        fields: dict[str, Declared] = {}
        not_personal = ["id", "metric", "period", "value"]


class BusinessTransfer(models.Model):
    """SHARE-6: a planned merger or sale of the service. Everyone is told at once; no personal
    data may move to ``recipient`` before ``moves_at`` (announcement + the notice period)."""

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("transfer id")
    )
    #: The organisation that would receive the data (a company, not a person).
    recipient = models.CharField(max_length=200, verbose_name=_("receiving organisation"))
    announced_at = models.DateTimeField(default=timezone.now, verbose_name=_("announced on"))
    moves_at = models.DateTimeField(verbose_name=_("data may move from"))
    notice_sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("notice sent on"))

    class Meta:
        verbose_name = _("business transfer")
        verbose_name_plural = _("business transfers")

    class PersonalData:
        subject = None
        fields: dict[str, Declared] = {}
        not_personal = ["id", "recipient", "announced_at", "moves_at", "notice_sent_at"]
