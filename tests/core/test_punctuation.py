"""A time that ends in a stop ("2:30 p.m.", an abbreviated month) put before a sentence's full stop
reads "p.m..". Rendered in English at an afternoon time, no page may show a doubled stop."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

DOUBLED_STOP = re.compile(r"\w\.\.(?!\.)")  # "p.m.." but not an ellipsis "..."
SHOWN_TIME = re.compile(r"\d{1,2}[:.]\d\d(\s?[ap]\.m\.)? \(")  # a time, then its zone


def afternoon() -> datetime:
    tomorrow = timezone.now() + timedelta(days=1)
    return datetime(tomorrow.year, tomorrow.month, tomorrow.day, 14, 30, tzinfo=UTC)


def test_the_check_sees_a_doubled_stop() -> None:
    assert DOUBLED_STOP.search("until 2:30 p.m..")
    assert not DOUBLED_STOP.search("Preparing your file... 2:30 p.m. and more.")


def test_the_ready_export_never_shows_a_doubled_stop() -> None:
    export = SimpleNamespace(
        pk=uuid.uuid4(), is_open=False, archive_available=True, archive_expires_at=afternoon()
    )
    with translation.override("en"):
        html = render_to_string("privacy/partials/export_progress.html", {"export": export})
    assert SHOWN_TIME.search(html), html  # the time really is on the page
    assert not DOUBLED_STOP.search(html), html


@pytest.mark.django_db
def test_the_block_page_never_shows_a_doubled_stop(
    client: Any, staff_user: Any, client_user: Any
) -> None:
    client_user.blocked_at = afternoon()
    client_user.save(update_fields=["blocked_at"])
    client.force_login(staff_user)
    response = client.get(
        reverse("accounts:block", args=[client_user.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    html = response.content.decode()
    assert response.status_code == 200 and SHOWN_TIME.search(html)
    assert not DOUBLED_STOP.search(html), DOUBLED_STOP.findall(html)
