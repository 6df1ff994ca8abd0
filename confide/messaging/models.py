"""Conversations and messages. One conversation per care relationship; message bodies and
attachments are sealed under the client's data key (CARE-5: encrypted at rest)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from confide.privacy.fields import EncryptedBytesField, EncryptedTextField
from confide.privacy.inventory import SHRED, Declared

_CONTENT = Declared("content", ["care"], "explicit_consent", "account_lifetime", SHRED)


class Conversation(models.Model):
    """The private channel of one care relationship (client ↔ counselor)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    care = models.OneToOneField(
        "matching.CareRelationship", on_delete=models.CASCADE, related_name="conversation"
    )
    # Denormalised from ``care`` so every lookup and permission check is one indexed query.
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversations_as_client"
    )
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="conversations_as_counselor",
    )
    created_at = models.DateTimeField(auto_now_add=True)

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
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages_sent"
    )
    body = EncryptedTextField(key_scope="messaging")
    attachment = EncryptedBytesField(key_scope="messaging", null=True, blank=True)
    attachment_name = EncryptedTextField(key_scope="messaging", null=True, blank=True)
    attachment_type = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
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
