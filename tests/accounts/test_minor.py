"""Staff record that an account belongs to a minor (ACC-8): the account is erased at once, only
the hashed-email tombstone is left, the act is audited and the person told in their language."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from confide.accounts import services
from confide.accounts.models import AgeTombstone, User
from confide.audit.models import AuditEvent
from tests.accounts.helpers import signup_data

pytestmark = pytest.mark.django_db

REASON = "The client wrote in a message that they are fifteen"


@pytest.mark.promise("ACC-8")
def test_staff_record_a_minor_which_erases_the_account_leaving_an_age_tombstone(
    client: Any, staff_user: Any, client_user: Any
) -> None:
    email = client_user.email
    client_user.language = "sv"
    client_user.save(update_fields=["language"])
    minor_session = Client()
    minor_session.force_login(client_user)
    client.force_login(staff_user)
    url = reverse("accounts:minor", args=[client_user.pk])
    assert url in client.get(reverse("accounts:block", args=[client_user.pk])).content.decode()
    assert client.post(url, {"reason": REASON}).status_code == 200  # not confirmed: nothing
    assert User.objects.get(pk=client_user.pk).is_active
    response = client.post(url, {"reason": REASON, "confirm": "on"})
    assert response.status_code == 302
    erased = User.objects.get(pk=client_user.pk)
    assert not erased.is_active and erased.email != email
    assert not User.objects.filter(email__iexact=email).exists()
    assert AgeTombstone.objects.get().email_hash == services.email_fingerprint(email)
    event = AuditEvent.objects.get(action="account.minor_erased")
    assert (event.actor_id, event.subject_id, event.reason) == (
        staff_user.pk,
        client_user.pk,
        REASON,
    )
    notice = mail.outbox[-1]
    assert notice.to == [email] and "116 111" in str(notice.body)
    assert REASON not in str(notice.body)
    assert not minor_session.get(reverse("core:dashboard")).wsgi_request.user.is_authenticated
    # The same address cannot sign up again straight away, whatever birth date it gives.
    retry = Client().post(reverse("account_signup"), signup_data(email=email))
    assert retry.context["form"].under_age
    assert not User.objects.filter(email__iexact=email).exists()


@pytest.mark.promise("ACC-8")
def test_only_staff_may_record_a_minor_and_only_for_a_client(
    client: Any, counselor: Any, staff_user: Any, client_user: Any
) -> None:
    client.force_login(counselor)
    url = reverse("accounts:minor", args=[client_user.pk])
    assert client.post(url, {"reason": REASON, "confirm": "on"}).status_code in (302, 403)
    assert User.objects.get(pk=client_user.pk).is_active
    client.force_login(staff_user)
    assert client.get(reverse("accounts:minor", args=[counselor.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="account.minor_erased").exists()
