"""Blocking by staff (ACC-6)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from confide.accounts.models import User
from confide.audit.models import AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

REASON = "Repeated abusive messages to counselors"


@pytest.mark.promise("ACC-6")
@pytest.mark.promise("LOG-4")
def test_staff_block_an_account_with_a_reason(
    client: Any, staff_user: Any, client_user: Any
) -> None:
    victim_session = Client()
    victim_session.force_login(client_user)
    client.force_login(staff_user)
    response = client.post(reverse("accounts:block", args=[client_user.pk]), {"reason": REASON})
    assert response.status_code == 302
    client_user.refresh_from_db()
    assert client_user.is_blocked and client_user.blocked_reason == REASON
    event = AuditEvent.objects.get(action="account.blocked")
    assert (event.actor_id, event.subject_id, event.reason) == (
        staff_user.pk,
        client_user.pk,
        REASON,
    )
    notice = mail.outbox[-1]
    assert notice.to == [client_user.email] and REASON in str(notice.body)
    assert "never ask for your password" in str(notice.body)
    # The open session ends at its next request.
    victim_session.get(reverse("core:dashboard"))
    assert not victim_session.get(reverse("core:dashboard")).wsgi_request.user.is_authenticated


@pytest.mark.promise("ACC-6")
def test_a_blocked_person_cannot_sign_in(client: Any, client_user: Any, staff_user: Any) -> None:
    from confide.accounts.services import block_user

    block_user(staff_user, client_user, reason=REASON)
    response = client.post(
        reverse("account_login"), {"login": client_user.email, "password": PASSWORD}
    )
    assert response.status_code == 403
    assert "blocked" in response.content.decode()
    assert not client.get(reverse("core:dashboard")).wsgi_request.user.is_authenticated


@pytest.mark.promise("ACC-6")
def test_a_short_reason_is_refused(client: Any, staff_user: Any, client_user: Any) -> None:
    client.force_login(staff_user)
    response = client.post(reverse("accounts:block", args=[client_user.pk]), {"reason": "bad"})
    assert response.status_code == 200 and response.context["form"].errors
    assert not User.objects.get(pk=client_user.pk).is_blocked


def test_wrong_password_never_reveals_a_block(
    client: Any, client_user: Any, staff_user: Any
) -> None:
    from confide.accounts.services import block_user

    block_user(staff_user, client_user, reason=REASON)
    response = client.post(
        reverse("account_login"), {"login": client_user.email, "password": PASSWORD + "x"}
    )
    assert "blocked" not in response.content.decode().lower()
