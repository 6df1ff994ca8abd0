"""Messaging services: the only code that reads or writes conversations and messages.

Each function takes the acting user explicitly, asks the access policy, does its work in one
transaction, writes the audit record (ids and counts only), and pushes live events through
``confide.core.events.send_event`` once the data is committed. Message text is never logged,
audited, emailed or put in a task argument.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from confide.audit import services as audit
from confide.core.errors import DomainError
from confide.core.events import send_event
from confide.core.tasks import enqueue
from confide.messaging.models import Conversation, Message
from confide.privacy.access import Action, can_access_client, require_client_access

log = logging.getLogger(__name__)

MAX_BODY = 4000  # characters
PAGE_SIZE = 30
MAX_ATTACHMENT = 5 * 1024 * 1024
#: Accepted attachment types and the leading bytes each must start with (None: text, checked apart).
ATTACHMENT_TYPES: dict[str, bytes | None] = {
    "image/png": b"\x89PNG\r\n\x1a\n",
    "image/jpeg": b"\xff\xd8\xff",
    "application/pdf": b"%PDF-",
    "text/plain": None,
}
TYPING_THROTTLE_SECONDS = 3
NOTICE_THROTTLE_SECONDS = 15 * 60


class MessagingError(DomainError):
    """Bad input or refused action; ``message`` is translated, ``code`` is stable for clients."""


ERRORS: dict[str, Any] = {
    "empty": _("Write a message before sending."),
    "too_long": _("This message is too long. Please keep it under 4,000 characters."),
    "too_large": _("This message is too large to send."),
    "malformed": _("The message could not be read. Please reload the page and try again."),
    "unknown_type": _("This action is not supported."),
    "wrong_conversation": _("This message does not belong to this conversation."),
    "not_allowed": _("You cannot send messages in this conversation."),
    "rate_limited": _("You are sending messages too quickly. Please wait a moment."),
    "attachment_type": _("This file type cannot be attached. Use PNG, JPEG, PDF or plain text."),
    "attachment_size": _("This file is too large. Attachments can be up to 5 MB."),
    "only_client_deletes": _("Only the client can delete messages in this conversation."),
    "not_found": _("This message no longer exists."),
}


def error(code: str) -> MessagingError:
    return MessagingError(code, ERRORS[code])


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str
    data: bytes


# --- Conversations ------------------------------------------------------------------------------
def conversation_for_care(care: Any) -> Conversation:
    """The conversation of a care relationship, created on first use."""
    conversation, _created = Conversation.objects.get_or_create(
        care=care, defaults={"client_id": care.client_id, "counselor_id": care.counselor_id}
    )
    return conversation


def conversations_for(user: Any) -> QuerySet[Conversation]:
    """Conversations the user may open: the client's own; a counselor's with active care."""
    if user.role == "counselor":
        qs = Conversation.objects.filter(counselor=user, care__ended_at__isnull=True)
    else:
        qs = Conversation.objects.filter(client=user)
    unread = Count("messages", filter=Q(messages__read_at__isnull=True) & ~Q(messages__sender=user))
    return qs.select_related("client", "counselor").annotate(unread=unread).order_by("-created_at")


def ensure_conversations(user: Any) -> None:
    """Create the conversation of every active care relationship the user is part of."""
    from confide.matching.models import CareRelationship

    field = "counselor" if user.role == "counselor" else "client"
    for care in CareRelationship.objects.filter(**{field: user}, ended_at__isnull=True).filter(
        conversation__isnull=True
    ):
        conversation_for_care(care)


def refresh_actor(actor: Any) -> None:
    """Re-read what the policy depends on, for long-lived sockets (a block takes effect at once)."""
    actor.refresh_from_db(fields=["blocked_at", "role", "is_active"])


def check_access(actor: Any, conversation: Conversation) -> None:
    """The per-frame re-check (no audit: the socket's opening was audited)."""
    refresh_actor(actor)
    if not actor.is_active or not can_access_client(actor, conversation.client_id, Action.MESSAGE):
        raise PermissionDenied


def open_conversation(
    actor: Any, conversation_id: UUID | str, *, audit_access: bool = True
) -> Conversation:
    """Load a conversation for ``actor`` or raise PermissionDenied (also for unknown ids)."""
    try:
        conversation = Conversation.objects.select_related("client", "counselor").get(
            pk=conversation_id
        )
    except (Conversation.DoesNotExist, ValidationError, ValueError):
        raise PermissionDenied from None
    if actor.pk not in conversation.participant_ids():
        raise PermissionDenied
    if audit_access:
        require_client_access(actor, conversation.client_id, Action.MESSAGE, target=conversation)
    elif not can_access_client(actor, conversation.client_id, Action.MESSAGE):
        raise PermissionDenied
    return conversation


def unread_total(user: Any) -> int:
    return (
        Message.objects.filter(
            Q(conversation__client=user) | Q(conversation__counselor=user),
            read_at__isnull=True,
        )
        .exclude(sender=user)
        .count()
    )


def history(
    conversation: Conversation, *, before: datetime | None = None, limit: int = PAGE_SIZE
) -> tuple[list[Message], bool]:
    """The ``limit`` messages before ``before`` (newest page by default), oldest first, and
    whether older ones exist."""
    qs = conversation.messages.select_related("sender").defer("attachment")
    if before is not None:
        qs = qs.filter(created_at__lt=before)
    page = list(qs.order_by("-created_at")[: limit + 1])
    has_more = len(page) > limit
    return list(reversed(page[:limit])), has_more


# --- Sending ------------------------------------------------------------------------------------
def _check_rate(user_id: int) -> None:
    limit, window = getattr(settings, "MESSAGING_RATE_LIMIT", (20, 10))
    key = f"msg-rate:{user_id}:{int(timezone.now().timestamp()) // window}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    if count > limit:
        raise error("rate_limited")


def _check_attachment(attachment: Attachment) -> None:
    if attachment.content_type not in ATTACHMENT_TYPES:
        raise error("attachment_type")
    if len(attachment.data) > MAX_ATTACHMENT:
        raise error("attachment_size")
    magic = ATTACHMENT_TYPES[attachment.content_type]
    if magic is None:
        try:
            attachment.data.decode("utf-8")
        except UnicodeDecodeError:
            raise error("attachment_type") from None
    elif not attachment.data.startswith(magic):
        raise error("attachment_type")


def validate_body(body: Any, *, allow_empty: bool = False) -> str:
    if not isinstance(body, str):
        raise error("malformed")
    body = body.strip()
    if not body and not allow_empty:
        raise error("empty")
    if len(body) > MAX_BODY:
        raise error("too_long")
    return body


def send_message(
    actor: Any,
    conversation: Conversation,
    body: Any,
    *,
    attachment: Attachment | None = None,
    session_key: str | None = None,
) -> Message:
    """Validate, store encrypted, audit (for counselors, via the access policy), then deliver
    live to both participants' open tabs and queue a content-free email notice."""
    body = validate_body(body, allow_empty=attachment is not None)
    if attachment is not None:
        _check_attachment(attachment)
    try:  # checked on every message, not only when the socket opened (LOG-4)
        require_client_access(actor, conversation.client_id, Action.MESSAGE, target=conversation)
    except PermissionDenied:
        raise error("not_allowed") from None
    _check_rate(actor.pk)
    with transaction.atomic():
        message = Message(conversation=conversation, sender=actor, body=body)
        if attachment is not None:
            message.attachment = attachment.data
            message.attachment_name = attachment.name[:200]
            message.attachment_type = attachment.content_type
        message.save()
        payload = message_payload(message, sender=actor)
        participants = conversation.participant_ids()
        transaction.on_commit(lambda: send_event(payload, participants))
        if notice_due(conversation, conversation.other_id(actor.pk)):
            enqueue(_notice_task(), str(message.id))
        # In the same transaction: one commit per message, and counts match stored messages.
        _count_message(actor.pk, session_key, sent=True)
        _count_message(conversation.other_id(actor.pk), None, sent=False)
    return message


def message_payload(message: Message, *, sender: Any) -> dict[str, Any]:
    """What a participant's socket receives for a new message (text included: recipients only)."""
    return {
        "type": "message.new",
        "conversation": str(message.conversation_id),
        "id": str(message.id),
        "sender": sender.pk,
        "sender_name": sender.display_name,
        "body": message.body,
        "created_at": message.created_at.isoformat(),
        "attachment": bool(message.attachment_type),
    }


def _notice_task() -> Any:
    from confide.messaging.tasks import notify_new_message

    return notify_new_message


def _count_message(user_id: int, session_key: str | None, *, sent: bool) -> None:
    """LOG-2: count (never content) messages per sign-in, through the accounts helper's hook."""
    from confide.accounts.signins import count_message

    count_message(user_id, session_key, sent=sent)


def notice_due(conversation: Conversation, recipient_id: int) -> bool:
    """Whether a new-message email is due: at most one per conversation and recipient every
    15 minutes (checked at send time so most sends enqueue nothing)."""
    key = f"msg-notice:{conversation.pk}:{recipient_id}"
    return bool(cache.add(key, 1, timeout=NOTICE_THROTTLE_SECONDS))


# --- Read state and typing ----------------------------------------------------------------------
def mark_read(actor: Any, conversation: Conversation) -> int:
    """Mark the other side's messages read; tell the sender's tabs. Returns how many."""
    now = timezone.now()
    count = (
        conversation.messages.filter(read_at__isnull=True)
        .exclude(sender_id=actor.pk)
        .update(read_at=now)
    )
    if count:
        event = {"type": "message.read", "conversation": str(conversation.pk), "by": actor.pk}
        send_event(event, conversation.participant_ids())
    return count


def typing(actor: Any, conversation: Conversation) -> bool:
    """Tell the other side ``actor`` is typing, at most once every few seconds."""
    key = f"msg-typing:{conversation.pk}:{actor.pk}"
    if not cache.add(key, 1, timeout=TYPING_THROTTLE_SECONDS):
        return False
    event = {"type": "typing", "conversation": str(conversation.pk), "by": actor.pk}
    send_event(event, [conversation.other_id(actor.pk)])
    return True


# --- Deletion (CARE-4) --------------------------------------------------------------------------
def _require_client(actor: Any, conversation: Conversation) -> None:
    if actor.pk != conversation.client_id:
        raise error("only_client_deletes")


def delete_message(actor: Any, conversation: Conversation, message_id: UUID | str) -> None:
    """The client removes one message for both sides; audited without content."""
    _require_client(actor, conversation)
    with transaction.atomic():
        try:
            deleted, _rows = conversation.messages.filter(pk=message_id).delete()
        except (ValidationError, ValueError):
            raise error("not_found") from None
        if not deleted:
            raise error("not_found")
        audit.record(
            "messaging.message_deleted",
            actor=actor,
            subject_id=conversation.client_id,
            target=conversation,
            details={"count": 1},
        )
        event = {
            "type": "message.deleted",
            "conversation": str(conversation.pk),
            "ids": [str(message_id)],
        }
        participants = conversation.participant_ids()
        transaction.on_commit(lambda: send_event(event, participants))


def delete_all(actor: Any, conversation: Conversation) -> int:
    """The client removes every message of the conversation for both sides."""
    _require_client(actor, conversation)
    with transaction.atomic():
        count, _rows = conversation.messages.all().delete()
        audit.record(
            "messaging.all_deleted",
            actor=actor,
            subject_id=conversation.client_id,
            target=conversation,
            details={"count": count},
        )
        event = {"type": "message.cleared", "conversation": str(conversation.pk)}
        participants = conversation.participant_ids()
        transaction.on_commit(lambda: send_event(event, participants))
    return count


def erase_message(user: Any, item_id: str) -> bool:
    """Item action for the privacy kernel's erasure registry: the client erases one message of
    their own conversation (the same path as :func:`delete_message`)."""
    conversation = (
        Conversation.objects.filter(client=user, messages__pk=item_id).first()
        if _is_uuid(item_id)
        else None
    )
    if conversation is None:
        return False
    try:
        delete_message(user, conversation, item_id)
    except MessagingError:
        return False
    return True


def _is_uuid(value: str) -> bool:
    try:
        UUID(str(value))
    except ValueError:
        return False
    return True
