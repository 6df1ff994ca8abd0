"""Conversations and messages. One conversation per care relationship; message bodies and
attachments are sealed under the client's data key (CARE-5: encrypted at rest)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from confide.privacy.fields import EncryptedBytesField, EncryptedTextField
from confide.privacy.inventory import SHRED, Declared

_CONTENT = Declared("content", ["care"], "explicit_consent", "account_lifetime", SHRED)


class Conversation(models.Model):
    """The private channel of one care relationship (client ↔ counselor)."""

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("conversation number")
    )
    care = models.OneToOneField(
        "matching.CareRelationship",
        on_delete=models.CASCADE,
        related_name="conversation",
        verbose_name=_("care relationship"),
    )
    # Denormalised from ``care`` so every lookup and permission check is one indexed query.
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="conversations_as_client",
        verbose_name=_("client"),
    )
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="conversations_as_counselor",
        verbose_name=_("counselor"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("started on"))

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    class PersonalData:
        subject = "client"
        fields = {
            "counselor": Declared(
                "health", ["care"], "explicit_consent", "account_lifetime", "delete", editable=False
            ),
            "created_at": Declared(
                "usage", ["care"], "explicit_consent", "account_lifetime", "delete", editable=False
            ),
        }
        not_personal = ["id", "care", "client"]

    def participant_ids(self) -> list[int]:
        return [self.client_id, self.counselor_id]

    def other_id(self, user_id: int) -> int:
        return self.counselor_id if user_id == self.client_id else self.client_id


class Message(models.Model):
    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("message number")
    )
    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("conversation"),
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="messages_sent",
        verbose_name=_("sender"),
    )
    body = EncryptedTextField(key_scope="messaging", verbose_name=_("message"))
    attachment = EncryptedBytesField(
        key_scope="messaging", null=True, blank=True, verbose_name=_("attachment")
    )
    attachment_name = EncryptedTextField(
        key_scope="messaging", null=True, blank=True, verbose_name=_("attachment name")
    )
    attachment_type = models.CharField(max_length=64, blank=True, verbose_name=_("attachment type"))
    created_at = models.DateTimeField(auto_now_add=True, db_index=True, verbose_name=_("sent on"))
    read_at = models.DateTimeField(null=True, blank=True, verbose_name=_("read on"))

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["conversation", "created_at"])]

    class PersonalData:
        subject = "conversation__client"
        fields = {
            "sender": Declared(
                "content",
                ["care"],
                "explicit_consent",
                "account_lifetime",
                "delete",
                editable=False,
            ),
            "body": _CONTENT,
            "attachment": _CONTENT,
            "attachment_name": _CONTENT,
            "attachment_type": Declared(
                "content",
                ["care"],
                "explicit_consent",
                "account_lifetime",
                "delete",
                editable=False,
            ),
            "created_at": Declared(
                "usage",
                ["care"],
                "explicit_consent",
                "account_lifetime",
                "delete",
                editable=False,
            ),
            "read_at": Declared(
                "usage",
                ["care"],
                "explicit_consent",
                "account_lifetime",
                "delete",
                editable=False,
            ),
        }
        not_personal = ["id", "conversation"]
