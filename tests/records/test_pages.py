"""The counselor's note pages (CARE-7): write, keep a failed draft, sign, correct by addendum,
hold, produce the record as a PDF; nobody else reaches any of it; notes outlive erasure."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from django.urls import reverse

from confide.audit.models import AuditEvent
from confide.records import services
from confide.records.models import Note


def _write(client: Any, client_id: int, **fields: str) -> Any:
    data = {"template": "soap", **fields}
    return client.post(reverse("records:new_note", args=[client_id]), data)


@pytest.mark.promise("CARE-7")
def test_a_note_is_written_signed_and_corrected_on_its_pages(
    client: Any, care: Any, client_user: Any, counselor: Any, canary: Any
) -> None:
    client.force_login(counselor)
    file_page = client.get(reverse("care:client_file", args=[client_user.pk])).content.decode()
    assert reverse("records:new_note", args=[client_user.pk]) in file_page
    text = canary.plant("note")
    too_long = _write(client, client_user.pk, subjective=text, plan="x" * (services.MAX_TEXT + 1))
    assert too_long.status_code == 200 and text in too_long.content.decode()  # nothing lost
    assert not Note.objects.exists()
    response = _write(client, client_user.pk, subjective=text)
    note = Note.objects.get()
    assert response["Location"] == reverse("records:note", args=[note.pk])
    url = reverse("records:note", args=[note.pk])
    client.post(url, {"subjective": text, "plan": "next week", "sign": "1"})
    note.refresh_from_db()
    assert note.is_signed and note.content["plan"] == "next week"
    signed = AuditEvent.objects.get(action="records.note.signed")
    assert signed.details["sha256"] == note.content_hash
    # A signed note cannot be edited through its page.
    client.post(url, {"subjective": "rewritten", "save": "1"})
    note.refresh_from_db()
    assert note.content["subjective"] == text
    short = client.post(
        reverse("records:addendum", args=[note.pk]), {"reason": "typo", "body": "b"}
    )
    assert short.status_code == 200 and "alert" in short.content.decode()
    assert not note.addenda.exists()
    client.post(
        reverse("records:addendum", args=[note.pk]),
        {"reason": "the date was wrong", "body": "It was on Tuesday."},
    )
    assert note.addenda.count() == 1
    page = client.get(url).content.decode()
    assert "It was on Tuesday." in page and note.content_hash in page


@pytest.mark.promise("CARE-7")
def test_a_legal_hold_is_placed_and_released_from_the_note(
    client: Any, care: Any, client_user: Any, counselor: Any
) -> None:
    note = services.create_note(counselor, client_user.pk, "free", {"text": "session went well"})
    client.force_login(counselor)
    hold = reverse("records:hold", args=[note.pk, "place"])
    assert client.post(hold, {"reason": "short"}).status_code == 200
    assert not services.is_held(note)
    client.post(hold, {"reason": "court order 2026/114 asks to keep it"})
    assert services.is_held(note)
    client.post(reverse("records:hold", args=[note.pk, "release"]))
    assert not services.is_held(note)


@pytest.mark.promise("CARE-7")
def test_nobody_but_the_author_reaches_a_note_or_a_clients_notes(
    client: Any,
    care: Any,
    client_user: Any,
    counselor: Any,
    other_counselor: Any,
    stranger: Any,
    team_leader: Any,
    staff_user: Any,
) -> None:
    note = services.create_note(counselor, client_user.pk, "free", {"text": "private words"})
    services.sign_note(counselor, note.pk)
    urls = [
        reverse("records:note", args=[note.pk]),
        reverse("records:client_notes", args=[client_user.pk]),
        reverse("records:new_note", args=[client_user.pk]),
        reverse("records:record", args=[client_user.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    for person in (client_user, other_counselor, stranger, team_leader, staff_user):
        client.force_login(person)
        for url in urls:
            response = client.get(url)
            assert response.status_code in (403, 404), (person.role, url)
            assert "private words" not in response.content.decode()
        post = client.post(reverse("records:addendum", args=[note.pk]), {"reason": "x" * 20})
        assert post.status_code in (403, 404)
    assert not note.addenda.exists()
    # A counselor with no relation to a client cannot even learn the client's name here.
    client.force_login(other_counselor)
    page = client.get(reverse("records:clients")).content.decode()
    assert client_user.display_name not in page


@pytest.mark.promise("CARE-7")
def test_the_record_is_a_pdf_for_a_stated_reason_and_audited(
    client: Any, care: Any, client_user: Any, counselor: Any
) -> None:
    note = services.create_note(counselor, client_user.pk, "dap", {"data": "spoke about work"})
    services.sign_note(counselor, note.pk)
    services.add_addendum(counselor, note.pk, "a missing detail", "Also about sleep.")
    client.force_login(counselor)
    url = reverse("records:record", args=[client_user.pk])
    refused = client.post(url, {"reason": "no"})
    assert refused.status_code == 200 and "alert" in refused.content.decode()
    assert not AuditEvent.objects.filter(action="records.record.produced").exists()
    response = client.post(url, {"reason": "access request of the client, ref 55"})
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    disposition = response["Content-Disposition"]
    assert f"clinical-record-{client_user.pk}-" in disposition
    assert client_user.display_name not in disposition
    produced = AuditEvent.objects.get(action="records.record.produced")
    assert produced.details == {"notes": 1}


def test_the_record_reads_in_the_counselors_language_and_zone(
    care: Any, client_user: Any, counselor: Any
) -> None:
    from confide.records import document

    counselor.language, counselor.timezone = "sv", "Pacific/Kiritimati"
    counselor.save()
    note = services.create_note(counselor, client_user.pk, "soap", {"plan": "<img src=x>"})
    services.sign_note(counselor, note.pk)
    doc = services.record_for_request(counselor, client_user.pk, "domstolens begäran 12")
    html = document.render_html(doc)
    assert "Pacific/Kiritimati" in html and "Journal" in html
    assert "<img src=x>" not in html and "&lt;img src=x&gt;" in html


@pytest.mark.promise("CARE-7")
@pytest.mark.promise("RIGHTS-6")
def test_notes_outlive_the_clients_erasure_and_the_export_names_their_keeper(
    client: Any, care: Any, client_user: Any, counselor: Any
) -> None:
    from confide.privacy.erasure import erase_account
    from confide.privacy.export import build_archive

    note = services.create_note(counselor, client_user.pk, "free", {"text": "kept-words-91"})
    services.sign_note(counselor, note.pk)
    archive, _ = build_archive(client_user.pk, "en")
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        data = json.loads(zf.read("data.json"))
        report = zf.read("report.html").decode()
    assert "kept-words-91" not in json.dumps(data) + report
    held = {item["model"]: item for item in data["held_records"]["records"]}
    assert held["records.Note"]["count"] == 1
    assert counselor.display_name in held["records.Note"]["keepers"]
    assert held["records.Note"]["until"]
    erase_account(client_user)
    client.force_login(counselor)
    page = client.get(reverse("records:note", args=[note.pk])).content.decode()
    assert "kept-words-91" in page
