"""Messaging services: encryption at rest, validation, read state, deletion (CARE-4/5)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import connection

from confide.audit.models import AuditEvent
from confide.messaging import services
from confide.messaging.models import Message

pytestmark = pytest.mark.django_db


@pytest.mark.promise("CARE-5")
def test_message_body_is_stored_encrypted(conversation: Any, client_user: Any) -> None:
    secret = "I have not slept since the funeral"
    message = services.send_message(client_user, conversation, secret)
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM messaging_message WHERE id = %s", [message.id.hex])
        row = cursor.fetchone()
        if row is None:  # PostgreSQL stores the uuid natively
            cursor.execute("SELECT body FROM messaging_message WHERE id = %s", [str(message.id)])
            row = cursor.fetchone()
    raw = bytes(row[0])
    assert secret.encode() not in raw and raw.startswith(b"c1")
    assert Message.objects.get(pk=message.pk).body == secret


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("x" * 4001, "too_long"),
        (None, "malformed"),
        (5, "malformed"),
    ],
)
def test_bad_bodies_are_refused_and_nothing_is_stored(
    conversation: Any, client_user: Any, body: Any, code: str
) -> None:
    with pytest.raises(services.MessagingError) as caught:
        services.send_message(client_user, conversation, body)
    assert caught.value.code == code
    assert not Message.objects.exists()


def test_flood_is_rate_limited(conversation: Any, client_user: Any, settings: Any) -> None:
    settings.MESSAGING_RATE_LIMIT = (3, 60)
    for n in range(3):
        services.send_message(client_user, conversation, f"message {n}")
    with pytest.raises(services.MessagingError) as caught:
        services.send_message(client_user, conversation, "one too many")
    assert caught.value.code == "rate_limited"
    assert Message.objects.count() == 3


@pytest.mark.promise("LOG-4")
def test_counselor_without_care_cannot_send(conversation: Any, counselor: Any, care: Any) -> None:
    care.ended_at = care.started_at
    care.save()
    with pytest.raises(services.MessagingError) as caught:
        services.send_message(counselor, conversation, "hello")
    assert caught.value.code == "not_allowed"
    assert AuditEvent.objects.filter(action="access.denied.message", actor_id=counselor.pk).exists()


@pytest.mark.promise("LOG-4")
def test_counselor_message_access_is_audited(conversation: Any, counselor: Any) -> None:
    services.send_message(counselor, conversation, "How are you today?")
    assert AuditEvent.objects.filter(action="access.message", actor_id=counselor.pk).exists()


def test_unread_counts_and_read_state(conversation: Any, client_user: Any, counselor: Any) -> None:
    services.send_message(client_user, conversation, "one")
    services.send_message(client_user, conversation, "two")
    assert services.unread_total(counselor) == 2
    assert services.unread_total(client_user) == 0
    assert services.conversations_for(counselor).get().unread == 2
    assert services.mark_read(counselor, conversation) == 2
    assert services.unread_total(counselor) == 0


def test_history_pages_oldest_first(conversation: Any, client_user: Any) -> None:
    for n in range(5):
        services.send_message(client_user, conversation, f"m{n}")
    page, more = services.history(conversation, limit=2)
    assert [m.body for m in page] == ["m3", "m4"] and more
    page2, more2 = services.history(conversation, before=page[0].created_at, limit=10)
    assert [m.body for m in page2] == ["m0", "m1", "m2"] and not more2


def test_attachments_are_type_and_size_checked(conversation: Any, client_user: Any) -> None:
    png = services.Attachment("x.png", "image/png", b"\x89PNG\r\n\x1a\n" + b"0" * 10)
    message = services.send_message(client_user, conversation, "", attachment=png)
    assert Message.objects.get(pk=message.pk).attachment == png.data
    fake = services.Attachment("x.png", "image/png", b"MZ\x90 not a png")
    exe = services.Attachment("x.exe", "application/x-msdownload", b"MZ")
    huge = services.Attachment("x.txt", "text/plain", b"a" * (services.MAX_ATTACHMENT + 1))
    for bad, code in [
        (fake, "attachment_type"),
        (exe, "attachment_type"),
        (huge, "attachment_size"),
    ]:
        with pytest.raises(services.MessagingError) as caught:
            services.send_message(client_user, conversation, "", attachment=bad)
        assert caught.value.code == code
    assert Message.objects.count() == 1


@pytest.mark.promise("CARE-4")
def test_client_deletes_one_then_all_audited_without_content(
    conversation: Any, client_user: Any, counselor: Any
) -> None:
    first = services.send_message(client_user, conversation, "delete me please")
    services.send_message(counselor, conversation, "a reply")
    services.send_message(client_user, conversation, "another")
    services.delete_message(client_user, conversation, first.pk)
    assert Message.objects.count() == 2
    assert services.delete_all(client_user, conversation) == 2
    assert not Message.objects.exists()
    events = AuditEvent.objects.filter(action__startswith="messaging.")
    assert [(e.action, e.details["count"]) for e in events.order_by("seq")] == [
        ("messaging.message_deleted", 1),
        ("messaging.all_deleted", 2),
    ]
    for event in AuditEvent.objects.all():
        assert "delete me" not in str(event.details) + event.reason


@pytest.mark.promise("CARE-4")
def test_only_the_client_deletes(conversation: Any, client_user: Any, counselor: Any) -> None:
    message = services.send_message(client_user, conversation, "mine")
    with pytest.raises(services.MessagingError):
        services.delete_message(counselor, conversation, message.pk)
    with pytest.raises(services.MessagingError):
        services.delete_all(counselor, conversation)
    assert Message.objects.count() == 1


def test_email_notice_has_no_content_and_is_throttled(
    conversation: Any, client_user: Any, counselor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.send_message(client_user, conversation, "my panic attacks are back")
    with django_capture_on_commit_callbacks(execute=True):
        services.send_message(client_user, conversation, "second one")
    assert len(mail.outbox) == 1
    notice = mail.outbox[0]
    assert notice.to == [counselor.email]
    assert "panic" not in notice.subject + notice.body
    assert f"/messages/{conversation.pk}/" in notice.body


def test_demo_seed_welcomes_demo_clients_once() -> None:
    import io

    from confide.matching.models import CareRelationship
    from confide.messaging import demo
    from tests.factories import make_user

    client = make_user("client", email="demo-client@demo.confide.localhost")
    counselor = make_user("counselor", email="demo-c@demo.confide.localhost", passkey=True)
    CareRelationship.objects.create(client=client, counselor=counselor)
    out = io.StringIO()
    demo.seed(out)
    demo.seed(out)
    assert Message.objects.filter(sender=counselor).count() == 1
    assert "1 demo conversations, 1 welcomed" in out.getvalue()
