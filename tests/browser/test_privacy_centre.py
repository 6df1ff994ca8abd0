"""The privacy centre in Chromium: export with live progress and a re-authenticated download,
then erasure of the whole account with its on-screen receipt."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from confide.privacy.models import RightsRequest
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser


def _signed_in_page(new_context: Any, user: Any, base_url: str) -> Any:
    django_client = Client()
    django_client.force_login(user)
    context = new_context()
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": django_client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
            }
        ]
    )
    return context.new_page()


@pytest.mark.promise("RIGHTS-1")
@pytest.mark.promise("RIGHTS-3")
@pytest.mark.promise("RIGHTS-6")
def test_export_with_progress_and_download_then_erase_account(
    asgi_server: Any, new_context: Any, monkeypatch: Any
) -> None:
    from confide.matching.models import CareRelationship
    from confide.messaging.models import Conversation, Message
    from confide.privacy import tasks
    from confide.privacy.services import run_export

    client = make_user("client", email="bea.client@example.test", nickname="Bea")
    counselor = make_user("counselor", passkey=True, first_name="Cai", last_name="Lund")
    care = CareRelationship.objects.create(client=client, counselor=counselor)
    conversation = Conversation.objects.create(care=care, client=client, counselor=counselor)
    Message.objects.create(conversation=conversation, sender=client, body="hello from Bea")
    # Hold the export job back so the page shows its progress, then run it "in the worker".
    monkeypatch.setattr(tasks.build_export, "delay", lambda *args: None)
    errors: list[str] = []
    page = _signed_in_page(new_context, client, asgi_server.url)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/dashboard/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Privacy").click()
    page.get_by_role("heading", name="Privacy centre").wait_for()
    page.get_by_role("button", name="Prepare my copy").click()
    page.wait_for_url("**/privacy/export/*/")
    assert page.locator("#export-bar").is_visible()
    export = RightsRequest.objects.get(user=client, kind="export")
    run_export(str(export.pk))
    download_link = page.locator("#export-download")
    download_link.wait_for(timeout=10_000)  # htmx polling swapped the bar for the link
    download_link.click()
    page.wait_for_url("**/reauthenticate/**")
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_download() as info:
        page.get_by_role("button", name="Confirm").click()
    with open(info.value.path(), "rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    data = json.loads(archive.read("data.json"))
    bodies = [row["body"] for row in data["records"]["messaging.Message"]["rows"]]
    assert bodies == ["hello from Bea"]
    assert "Bea" in archive.read("report.html").decode()

    page.goto("/privacy/")
    page.get_by_role("link", name="Choose what to erase").click()
    page.get_by_label("I understand that my account and my data will be erased").check()
    page.get_by_role("button", name="Erase my account").click()
    page.get_by_role("heading", name="What was erased").wait_for()
    assert page.get_by_role("heading", name="What we keep, why, and until when").is_visible()
    assert page.get_by_role("link", name="Sign in").is_visible()  # signed out
    client.refresh_from_db()
    assert not client.is_active and client.email.endswith("@erased.invalid")
    assert not errors, errors
