"""The whole between-sessions loop in Chromium (issue 15): goal and worksheet assigned, done by
the client; two journal entries, one shared; the counselor sees only that one, comments, signs a
note and adds an addendum; the client exports (notes absent but listed), then erases the
account: the journal is gone, the note is kept until its date."""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from confide.privacy.models import RightsRequest
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser


def _page_for(new_context: Any, user: Any, base_url: str) -> Any:
    django_client = Client()
    django_client.force_login(user)
    context = new_context()
    cookie = django_client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}])
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


def _fill_worksheet(page: Any) -> None:
    form = page.locator("#worksheet-form")
    for box in form.locator("textarea, input[type=text]").all():
        box.fill("Grateful for the sea")
    for box in form.locator("input[type=number]").all():
        box.fill("6")
    for box in form.locator("input[type=date]").all():
        box.fill("2026-12-01")
    page.get_by_role("button", name="Hand in").click()


def _counselor_assigns(page: Any, client_id: int) -> None:
    page.goto(f"/care/clients/{client_id}/")
    page.get_by_label("Goal:", exact=True).fill("Walk every morning")
    page.get_by_label("Why it matters").fill("More energy for work")
    page.get_by_role("button", name="Assign the goal").click()
    page.get_by_text("The goal was assigned.").wait_for()
    page.get_by_label("Worksheet:", exact=True).select_option(index=2)
    page.get_by_role("button", name="Assign the worksheet").click()
    page.wait_for_load_state()


def _client_works(page: Any) -> str:
    page.goto("/care/")
    page.get_by_role("button", name=re.compile("^Start goal")).click()
    page.get_by_role("button", name=re.compile("^Mark goal completed")).click()
    page.get_by_text("Completed").first.wait_for()
    page.locator("section[aria-labelledby=worksheets-heading] a").first.click()
    _fill_worksheet(page)
    page.wait_for_load_state()
    for text in ("loop-private-entry", "loop-shared-entry"):
        page.goto("/care/journal/new/")
        page.get_by_label("Entry:", exact=True).fill(text)
        page.get_by_role("button", name="Save the entry").click()
        page.get_by_role("button", name="Share with my counselor").wait_for()
    page.get_by_role("button", name="Share with my counselor").click()
    page.get_by_role("button", name="Stop sharing").wait_for()
    return page.url


def _counselor_reviews_and_notes(page: Any, client_id: int) -> None:
    page.goto(f"/care/clients/{client_id}/")
    body = page.locator("main").inner_text()
    assert "loop-shared-entry" in body and "loop-private-entry" not in body
    page.locator("section[aria-labelledby=worksheets-heading] h3 a").first.click()
    page.get_by_label("Your comment").fill("Lovely: keep noticing these.")
    page.get_by_role("button", name="Send the comment").click()
    page.wait_for_load_state()
    page.goto(f"/records/clients/{client_id}/new/")
    page.get_by_label("Subjective").fill("loop-note-words")
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_role("button", name="Save and sign").click()
    page.get_by_text("The note is signed.").wait_for()
    page.get_by_label("Why the correction").fill("the walk was in the evening")
    page.get_by_label("Addendum:", exact=True).fill("Evening walks, not morning.")
    page.get_by_role("button", name="Add the addendum").click()
    page.get_by_text("The addendum was added to the signed note.").wait_for()


def _client_exports(page: Any, client: Any) -> dict[str, Any]:
    from confide.privacy.services import run_export

    page.goto("/privacy/")
    page.get_by_role("button", name="Prepare my copy").click()
    page.wait_for_url("**/privacy/export/*/")
    run_export(str(RightsRequest.objects.get(user=client, kind="export").pk))
    page.locator("#export-download").click(timeout=10_000)
    page.wait_for_url("**/reauthenticate/**")
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_download() as info:
        page.get_by_role("button", name="Confirm").click()
    with open(info.value.path(), "rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    data: dict[str, Any] = json.loads(archive.read("data.json"))
    data["report"] = archive.read("report.html").decode()
    return data


@pytest.mark.promise("CARE-6")
@pytest.mark.promise("CARE-7")
@pytest.mark.promise("RIGHTS-1")
@pytest.mark.promise("RIGHTS-3")
def test_the_between_sessions_loop(asgi_server: Any, new_context: Any, monkeypatch: Any) -> None:
    from confide.care.models import JournalEntry
    from confide.matching.models import CareRelationship
    from confide.privacy import tasks
    from confide.records.models import Note

    client = make_user("client", email="lou.client@example.test", nickname="Lou")
    counselor = make_user("counselor", passkey=True, first_name="Mia", last_name="Sund")
    CareRelationship.objects.create(client=client, counselor=counselor)
    monkeypatch.setattr(tasks.build_export, "delay", lambda *args: None)
    counselor_page = _page_for(new_context, counselor, asgi_server.url)
    client_page = _page_for(new_context, client, asgi_server.url)

    _counselor_assigns(counselor_page, client.pk)
    entry_url = _client_works(client_page)
    _counselor_reviews_and_notes(counselor_page, client.pk)
    client_page.goto("/care/")
    assert "Your counselor has commented." in client_page.locator("main").inner_text()
    assert "loop-note-words" not in client_page.content()

    data = _client_exports(client_page, client)
    exported = json.dumps(data)
    bodies = {row["body"] for row in data["records"]["care.JournalEntry"]["rows"]}
    assert bodies == {"loop-private-entry", "loop-shared-entry"}
    assert data["records"]["care.Goal"]["rows"][0]["title"] == "Walk every morning"
    assert "worksheets.Worksheet" in data["records"]
    assert "loop-note-words" not in exported and "records.Note" not in data["records"]
    held = {item["model"]: item for item in data["held_records"]["records"]}
    assert held["records.Note"]["count"] == 1 and held["records.Note"]["until"]
    assert "Mia Sund" in held["records.Note"]["keepers"]

    client_page.goto("/privacy/")
    client_page.get_by_role("link", name="Choose what to erase").click()
    client_page.get_by_label("I understand that my account and my data will be erased").check()
    client_page.get_by_role("button", name="Erase my account").click()
    client_page.get_by_role("heading", name="What was erased").wait_for()
    receipt = client_page.locator("main").inner_text()
    assert "Mia Sund" in receipt  # who keeps the notes, and until when
    client_page.goto(entry_url)
    assert "/accounts/login/" in client_page.url
    for entry in JournalEntry.objects.filter(client_id=client.pk):
        with pytest.raises(Exception):  # noqa: B017 (shredded: any access fails)
            _ = entry.body
    note = Note.objects.get(client_id=client.pk)
    counselor_page.goto(f"/records/notes/{note.pk}/")
    assert "loop-note-words" in counselor_page.locator("main").inner_text()
    assert not counselor_page.errors and not client_page.errors
