"""The embedded outbox: one .eml per email and one JSON file per text in OUTBOX_DIR, listed for
staff at /dev/outbox/ while DEBUG is on, and for nobody else."""

from __future__ import annotations

import json
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from django.core import mail

from confide.core.sms import read_sms_outbox, send_sms, sent


@pytest.fixture
def outbox(settings: Any) -> Path:
    settings.EMAIL_BACKEND = "confide.core.mail.OutboxBackend"
    settings.DEBUG = True
    return Path(settings.OUTBOX_DIR)


def test_each_email_becomes_a_parseable_eml_file(outbox: Path) -> None:
    assert mail.send_mail("Hej från Confide", "Ditt möte är bekräftat.", None, ["å@example.test"])
    mail.send_mail("Second", "Two", None, ["b@example.test"])
    files = sorted(outbox.glob("*.eml"))
    assert len(files) == 2
    parsed = [BytesParser(policy=policy.default).parsebytes(f.read_bytes()) for f in files]
    first = next(p for p in parsed if p["To"] == "å@example.test")
    assert first["Subject"] == "Hej från Confide"
    body = first.get_body(preferencelist=("plain",))
    assert body is not None and body.get_content().strip() == "Ditt möte är bekräftat."


def test_texts_are_recorded_and_written_to_the_outbox(outbox: Path) -> None:
    send_sms("+46700000000", "Din kod är 123456")
    assert sent[-1]["to"] == "+46700000000"
    (record,) = [json.loads(p.read_text()) for p in outbox.glob("sms-*.json")]
    assert record["text"] == "Din kod är 123456"
    assert read_sms_outbox()[0]["to"] == "+46700000000"


def test_staff_see_emails_and_texts_on_the_outbox_page(
    outbox: Path, client: Any, staff_user: Any
) -> None:
    mail.send_mail("Your booking", "See you on Monday.", None, ["ana@example.test"])
    send_sms("+34600000000", "Your code is 654321")
    client.force_login(staff_user)
    response = client.get("/dev/outbox/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your booking" in page and "ana@example.test" in page and "See you on Monday." in page
    assert "+34600000000" in page and "Your code is 654321" in page


def test_the_outbox_page_is_refused_to_everyone_but_staff(
    outbox: Path, client: Any, client_user: Any, counselor: Any
) -> None:
    mail.send_mail("Private", "Not for you.", None, ["ana@example.test"])
    response = client.get("/dev/outbox/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for person in (client_user, counselor):
        client.force_login(person)
        response = client.get("/dev/outbox/")
        assert response.status_code == 403
        assert b"Not for you." not in response.content


def test_the_outbox_page_does_not_exist_without_debug(
    outbox: Path, settings: Any, client: Any, staff_user: Any
) -> None:
    settings.DEBUG = False
    client.force_login(staff_user)
    assert client.get("/dev/outbox/").status_code == 404
