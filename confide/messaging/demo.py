"""Demo conversations (embedded default only): every active care relationship between demo
accounts gets its conversation and, when empty, a welcome from the counselor. Safe to run again."""

from __future__ import annotations

from typing import Any

from django.utils import translation

WELCOME = "Hello! I'm glad you're here. Write whenever you like; I usually answer within a day."


def seed(stdout: Any) -> None:
    from django.test import override_settings

    from confide.matching.models import CareRelationship
    from confide.messaging.models import Message
    from confide.messaging.services import MessagingError, conversation_for_care, send_message

    cares = CareRelationship.objects.filter(
        ended_at__isnull=True, client__email__endswith="@demo.confide.localhost"
    ).select_related("client", "counselor")
    welcomed = 0
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for care in cares:
            conversation = conversation_for_care(care)
            if conversation.messages.exists():
                continue
            with translation.override("en"):
                try:
                    send_message(care.counselor, conversation, WELCOME)
                except MessagingError:
                    # The demo counselor has no passkey until they enrol one, so the service
                    # (rightly) refuses them: seed the welcome as a row, like care's demo does.
                    Message.objects.create(
                        conversation=conversation, sender=care.counselor, body=WELCOME
                    )
            welcomed += 1
    stdout.write(f"messaging: {cares.count()} demo conversations, {welcomed} welcomed")
