"""Conversation pages over plain HTTP: the no-JavaScript fallback, deletion, attachments,
paging, the erasure registry, and the canary (message text leaks nowhere)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from confide.messaging import services
from confide.messaging.models import Message
from tests.canary import canary  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_index_lists_the_conversation_with_unread_count(
    client: Any, care: Any, client_user: Any, counselor: Any
) -> None:
    client.force_login(counselor)
    assert client.get(reverse("messaging:index")).status_code == 200  # creates the conversation
    convo = services.conversations_for(counselor).get()
    services.send_message(client_user, convo, "one")
    html = client.get(reverse("messaging:index")).content.decode()
    assert reverse("messaging:conversation", args=[convo.pk]) in html
    assert "1 unread message" in html


@pytest.mark.promise("CARE-4")
def test_fallback_post_sends_and_page_shows_history(
    client: Any, conversation: Any, client_user: Any, counselor: Any
) -> None:
    client.force_login(client_user)
    url = reverse("messaging:conversation", args=[conversation.pk])
    response = client.post(url, {"body": "Sent without JavaScript"})
    assert response.status_code == 302
    client.force_login(counselor)
    page = client.get(url).content.decode()
    assert "Sent without JavaScript" in page
    assert 'aria-live="polite"' in page
    assert Message.objects.get().read_at is not None  # opening the page marks it read


def test_fallback_post_with_bad_input_shows_translated_error(
    client: Any, conversation: Any, client_user: Any
) -> None:
    client_user.language = "es"
    client_user.save()
    client.force_login(client_user)
    url = reverse("messaging:conversation", args=[conversation.pk])
    response = client.post(url, {"body": "  "})
    assert response.status_code == 400
    assert "Escribe un mensaje antes de enviarlo." in response.content.decode()
    assert not Message.objects.exists()


def test_attachment_upload_and_download(client: Any, conversation: Any, client_user: Any) -> None:
    client.force_login(client_user)
    url = reverse("messaging:conversation", args=[conversation.pk])
    upload = SimpleUploadedFile("notes.txt", b"my notes", content_type="text/plain")
    assert client.post(url, {"body": "see file", "attachment": upload}).status_code == 302
    message = Message.objects.get()
    got = client.get(reverse("messaging:attachment", args=[conversation.pk, message.pk]))
    assert got.content == b"my notes" and got["Content-Disposition"] == "attachment"
    bad = SimpleUploadedFile("evil.html", b"<script>", content_type="text/html")
    assert client.post(url, {"body": "x", "attachment": bad}).status_code == 400
    assert Message.objects.count() == 1


@pytest.mark.promise("LOG-4")
def test_strangers_and_unrelated_counselors_get_403(
    client: Any, conversation: Any, stranger: Any, other_counselor: Any
) -> None:
    url = reverse("messaging:conversation", args=[conversation.pk])
    for outsider in (stranger, other_counselor):
        client.force_login(outsider)
        assert client.get(url).status_code == 403
        assert client.post(url, {"body": "intrusion"}).status_code == 403
    assert not Message.objects.exists()


@pytest.mark.promise("CARE-4")
def test_delete_one_and_all_by_post_and_counselor_cannot(
    client: Any, conversation: Any, client_user: Any, counselor: Any
) -> None:
    first = services.send_message(client_user, conversation, "first")
    services.send_message(counselor, conversation, "second")
    client.force_login(counselor)
    url = reverse("messaging:delete_message", args=[conversation.pk, first.pk])
    assert client.post(url).status_code == 403  # route is for clients only
    client.force_login(client_user)
    response = client.post(url, HTTP_ACCEPT="application/json")
    assert response.json() == {"ok": True}
    assert Message.objects.count() == 1
    assert client.post(reverse("messaging:delete_all", args=[conversation.pk])).status_code == 302
    assert not Message.objects.exists()


@pytest.mark.promise("CARE-4")
def test_erasure_registry_item_action(conversation: Any, client_user: Any, stranger: Any) -> None:
    from confide.privacy import registry

    message = services.send_message(client_user, conversation, "erase me")
    action = registry.item_action("messaging.Message")
    assert action is not None
    assert action.erase(stranger, str(message.pk)) is False
    assert action.erase(client_user, "not-a-uuid") is False
    assert action.erase(client_user, str(message.pk)) is True
    assert not Message.objects.exists()


def test_older_pages(client: Any, conversation: Any, client_user: Any) -> None:
    for n in range(services.PAGE_SIZE + 3):
        services.send_message(client_user, conversation, f"n{n:03d}")
    client.force_login(client_user)
    page = client.get(reverse("messaging:conversation", args=[conversation.pk])).content.decode()
    assert "n002" not in page and "n003" in page and "Show earlier messages" in page
    first_shown = Message.objects.order_by("created_at")[3].created_at.isoformat()
    older = client.get(
        reverse("messaging:older", args=[conversation.pk]),
        {"before": first_shown},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "n000" in older and "n002" in older and "n003" not in older


@pytest.mark.promise("CARE-5")
def test_canary_message_text_leaks_nowhere(
    canary: Any,  # noqa: F811
    client: Any,
    conversation: Any,
    client_user: Any,
    counselor: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    secret = canary.plant("message")
    reply = canary.plant("reply")
    client.force_login(client_user)
    url = reverse("messaging:conversation", args=[conversation.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"body": secret})
        services.send_message(counselor, conversation, reply)
    services.delete_message(client_user, conversation, Message.objects.get(sender=counselor).pk)
    from django.core import mail

    assert len(mail.outbox) == 2  # a notice each way, neither with content
    page = client.get(url)
    assert secret in page.content.decode()  # the participant reads it
    assert Message.objects.get().body == secret


@pytest.mark.promise("LOG-2")
def test_sign_in_records_count_messages_sent_and_received(
    client: Any, conversation: Any, client_user: Any, counselor: Any
) -> None:
    from confide.accounts.models import SignInRecord

    client.force_login(client_user)  # creates the client's sign-in record
    other = type(client)()
    other.force_login(counselor)
    url = reverse("messaging:conversation", args=[conversation.pk])
    client.post(url, {"body": "one"})
    client.post(url, {"body": "two"})
    other.post(url, {"body": "three"})
    mine = SignInRecord.objects.filter(user=client_user, event="signed_in").get()
    theirs = SignInRecord.objects.filter(user=counselor, event="signed_in").get()
    assert (mine.messages_sent, mine.messages_received) == (2, 1)
    assert (theirs.messages_sent, theirs.messages_received) == (1, 2)


@pytest.mark.promise("CARE-4")
def test_messages_are_in_the_clients_export_until_deleted(
    conversation: Any, client_user: Any
) -> None:
    import json as jsonlib

    from confide.privacy.export import collect

    kept = services.send_message(client_user, conversation, "keep this one")
    gone = services.send_message(client_user, conversation, "remove this one")
    before = jsonlib.dumps(collect(client_user.pk), default=str)
    assert "keep this one" in before and "remove this one" in before
    services.delete_message(client_user, conversation, gone.pk)
    after = jsonlib.dumps(collect(client_user.pk), default=str)
    assert "keep this one" in after and "remove this one" not in after
    services.delete_all(client_user, conversation)
    assert "keep this one" not in jsonlib.dumps(collect(client_user.pk), default=str)
    assert kept.pk
