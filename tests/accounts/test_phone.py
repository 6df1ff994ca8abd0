"""Optional phone number, verified by an SMS code through the pluggable backend (ACC-1)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from confide.accounts.models import User
from confide.core import sms
from tests.accounts.helpers import last_code, signup_data

pytestmark = pytest.mark.django_db


def _sms_code() -> str:
    text = sms.sent[-1]["text"]
    match = re.search(r"code is ([A-Z0-9-]+)\.", text)
    assert match, text
    return match.group(1)


@pytest.mark.promise("ACC-1")
def test_a_phone_number_given_at_sign_up_is_verified_by_sms(client: Any) -> None:
    response = client.post(reverse("account_signup"), signup_data(phone="+34600111222"))
    assert response["Location"] == reverse("account_verify_phone")
    assert sms.sent, "no SMS sent"
    client.post(reverse("account_verify_phone"), {"code": "000000"})
    assert User.objects.get().phone_verified_at is None
    response = client.post(reverse("account_verify_phone"), {"code": _sms_code()})
    user = User.objects.get()
    assert user.phone == "+34600111222" and user.phone_verified_at is not None
    client.post(response["Location"], {"code": last_code(user.email)})
    assert client.get(reverse("core:dashboard")).wsgi_request.user == user


@pytest.mark.promise("ACC-1")
def test_the_phone_number_is_optional(client: Any) -> None:
    response = client.post(reverse("account_signup"), signup_data())
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.get().phone == "" and not sms.sent
