"""The autosave script in Chromium, under the real CSP: typing saves the draft without a click,
and no page error (a CSP refusal shows up as one) is raised."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from confide.worksheets import services
from confide.worksheets.models import Worksheet
from tests.factories import make_user

pytestmark = pytest.mark.browser


@pytest.mark.promise("CARE-6")
def test_typing_saves_the_draft(asgi_server: Any, new_context: Any) -> None:
    from confide.matching.models import CareRelationship

    client = make_user("client", email="wen.client@example.test", nickname="Wen")
    counselor = make_user("counselor", passkey=True, first_name="Ines", last_name="Vidal")
    CareRelationship.objects.create(client=client, counselor=counselor)
    sheet = services.assign(counselor, client.pk, "gratitude_log")
    django_client = Client()
    django_client.force_login(client)
    context = new_context()
    cookie = django_client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": asgi_server.url}]
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"/care/worksheets/{sheet.pk}/")
    page.get_by_label("Something good from today *").fill("A long call with my sister")
    page.locator("#autosave-status").filter(has_text="Draft saved").wait_for(timeout=10000)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        sheet = Worksheet.objects.get(pk=sheet.pk)
        if sheet.state == "draft":
            break
        time.sleep(0.1)
    assert sheet.answer_map() == {"first": "A long call with my sister"}
    assert not errors, errors
