"""The append-only, hash-chained audit log. Records hold ids, actor, action, reason and time —
never content (see docs/audit.md)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from confide.privacy.inventory import Declared


class AuditEvent(models.Model):
    seq = models.BigAutoField(primary_key=True, verbose_name=_("record number"))
    at = models.DateTimeField(db_index=True, verbose_name=_("time"))
    # Ids, not foreign keys: erasing a person must neither cascade into nor rewrite the log.
    actor_id = models.BigIntegerField(
        null=True, blank=True, db_index=True, verbose_name=_("done by (account number)")
    )
    actor_role = models.CharField(
        max_length=20, blank=True, verbose_name=_("role of the person acting")
    )
    action = models.CharField(max_length=80, db_index=True, verbose_name=_("action"))
    #: The person whose data was touched (their user id), if any.
    subject_id = models.BigIntegerField(
        null=True, blank=True, db_index=True, verbose_name=_("whose data (account number)")
    )
    target_type = models.CharField(
        max_length=80, blank=True, verbose_name=_("kind of record affected")
    )
    target_id = models.CharField(
        max_length=64, blank=True, verbose_name=_("number of the record affected")
    )
    reason = models.CharField(max_length=300, blank=True, verbose_name=_("reason"))
    #: Small dict of ids/flags/counts; checked to hold no free text (see services.record).
    details = models.JSONField(default=dict, blank=True, verbose_name=_("details"))
    prev_hash = models.CharField(
        max_length=64, verbose_name=_("fingerprint of the previous record")
    )
    hash = models.CharField(
        max_length=64, unique=True, verbose_name=_("fingerprint of this record")
    )

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        ordering = ["seq"]

    class PersonalData:
        subject = "subject"
        fields = {
            "subject_id": Declared(
                "usage",
                ["security", "legal"],
                "legal_obligation",
                "audit_period",
                "keep_under_legal_hold",
                law="accountability",
                editable=False,
            ),
            "actor_id": Declared(
                "usage",
                ["security", "legal"],
                "legal_obligation",
                "audit_period",
                "keep_under_legal_hold",
                law="accountability",
                editable=False,
            ),
        }
        not_personal = [
            "seq",
            "at",
            "actor_role",
            "action",
            "target_type",
            "target_id",
            "reason",
            "details",
            "prev_hash",
            "hash",
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


class AuditHead(models.Model):
    """A single row locked while appending, so two writers never chain to the same parent.

    ``last_seq``/``last_hash`` name the newest record; ``anchor_seq``/``anchor_hash`` the last
    record removed by the retention sweep (``audit_period``), where verification starts."""

    id = models.PositiveSmallIntegerField(
        primary_key=True, default=1, verbose_name=_("chain number")
    )
    last_hash = models.CharField(max_length=64, verbose_name=_("fingerprint of the newest record"))
    last_seq = models.BigIntegerField(default=0, verbose_name=_("number of the newest record"))
    anchor_seq = models.BigIntegerField(
        default=0, verbose_name=_("number of the last record removed")
    )
    anchor_hash = models.CharField(
        max_length=64, default="0" * 64, verbose_name=_("fingerprint of the last record removed")
    )

    class Meta:
        verbose_name = _("audit chain end")
        verbose_name_plural = _("audit chain ends")

    class PersonalData:
        subject = None
        fields: dict[str, Declared] = {}
        not_personal = ["id", "last_hash", "last_seq", "anchor_seq", "anchor_hash"]
