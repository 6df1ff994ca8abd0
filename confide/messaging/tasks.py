"""Messaging tasks. They take ids, never content."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.urls import reverse

from confide.core.mail import send_templated
from confide.core.times import user_zone


@shared_task
def notify_new_message(message_id: str) -> bool:
    """Email the recipient that a message is waiting — never its text or the sender's words."""
    from confide.messaging.models import Message

    message = (
        Message.objects.select_related("conversation")
        .defer("body", "attachment")
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        return False
    recipient_id = message.conversation.other_id(message.sender_id)
    from confide.accounts.models import User

    recipient = User.objects.get(pk=recipient_id)
    url = settings.SITE_URL.rstrip("/") + reverse(
        "messaging:conversation", args=[message.conversation_id]
    )
    send_templated(
        "messaging/email/new_message",
        recipient.email,
        {"url": url},
        language=recipient.language or None,
        zone=user_zone(recipient),
    )
    return True
