"""A request in the person's own words, handled by staff like every other request."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from confide.audit.models import AuditEvent
from confide.privacy.inventory import declaration_for
from confide.privacy.models import RightsRequest

pytestmark = pytest.mark.django_db
WORDS = "Please send me the notes my counselor keeps about our sessions in March."


def _file(client: Any, user: Any) -> RightsRequest:
    client.force_login(user)
    centre = client.get(reverse("privacy:centre")).content.decode()
    assert reverse("privacy:other_request") in centre
    response = client.post(reverse("privacy:other_request"), {"details": WORDS})
    filed = RightsRequest.objects.get(user=user, kind="other")
    assert response.status_code == 302
    assert response.url == reverse("privacy:request", args=[filed.pk])
    return filed


@pytest.mark.promise("RIGHTS-2")
def test_a_person_files_another_request_in_their_own_words(client: Any, client_user: Any) -> None:
    filed = _file(client, client_user)
    assert filed.state == RightsRequest.State.RECEIVED  # nobody has acted on it yet
    assert filed.details == WORDS
    assert (filed.due_at - filed.received_at).days == 30
    page = client.get(reverse("privacy:request", args=[filed.pk])).content.decode()
    assert "Another request" in page and "notes my counselor keeps" in page
    assert AuditEvent.objects.filter(action="rights.other.received", subject_id=client_user.pk)


@pytest.mark.promise("POLICY-4")
def test_its_words_are_declared_and_sealed_at_rest(client: Any, client_user: Any) -> None:
    declaration = declaration_for(RightsRequest)
    assert declaration is not None and "details" in declaration.fields
    filed = _file(client, client_user)
    with connection.cursor() as cursor:
        cursor.execute("SELECT details FROM privacy_rightsrequest WHERE id = %s", [filed.pk.hex])
        (stored,) = cursor.fetchone()
    assert stored and b"counselor" not in bytes(stored)


@pytest.mark.promise("RIGHTS-2")
def test_staff_see_it_in_their_queue_and_handle_it_to_the_end(
    client: Any, client_user: Any, staff_user: Any
) -> None:
    filed = _file(client, client_user)
    client.force_login(staff_user)
    queue = client.get(reverse("privacy:queue")).content.decode()
    handle = reverse("privacy:handle_request", args=[filed.pk])
    assert handle in queue
    assert "notes my counselor keeps" in client.get(handle).content.decode()
    assert AuditEvent.objects.filter(action="rights.other.read", actor_id=staff_user.pk)
    for state in ("verified", "in_progress", "done"):
        assert client.post(handle, {"state": state}).status_code == 302
    filed.refresh_from_db()
    assert filed.state == "done" and filed.completed_at is not None
    assert handle not in client.get(reverse("privacy:queue")).content.decode()
    done = AuditEvent.objects.get(action="rights.other.done")
    assert done.actor_id == staff_user.pk and done.subject_id == client_user.pk


def test_a_refusal_needs_a_reason_and_the_person_reads_it(
    client: Any, client_user: Any, staff_user: Any
) -> None:
    filed = _file(client, client_user)
    client.force_login(staff_user)
    handle = reverse("privacy:handle_request", args=[filed.pk])
    assert client.post(handle, {"state": "refused"}).status_code == 200  # no reason: refused
    client.post(handle, {"state": "refused", "reason": "We could not verify who asked."})
    filed.refresh_from_db()
    assert filed.state == "refused"
    client.force_login(client_user)
    page = client.get(reverse("privacy:request", args=[filed.pk])).content.decode()
    assert "We could not verify who asked." in page


def test_nobody_but_staff_reaches_the_queue(client: Any, client_user: Any, counselor: Any) -> None:
    filed = _file(client, client_user)
    for user in (client_user, counselor):
        client.force_login(user)
        assert client.get(reverse("privacy:queue")).status_code == 403
        assert client.get(reverse("privacy:handle_request", args=[filed.pk])).status_code == 403
