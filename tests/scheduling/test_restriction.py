"""Restriction (RIGHTS-4) in scheduling: a restricted client gets no session reminders."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from confide.privacy.services import set_restriction
from confide.scheduling import notify, services
from tests.scheduling.conftest import open_hours, utc


@pytest.mark.promise("RIGHTS-4")
def test_a_restricted_client_gets_no_reminders_and_lifting_brings_them_back(
    db: Any, time_machine: Any, care: Any, counselor: Any, client_user: Any
) -> None:
    open_hours(counselor, tz="UTC")
    time_machine.move_to(utc(2030, 1, 1, 8), tick=False)
    services.book(client_user, utc(2030, 1, 5, 9))
    services.book(client_user, utc(2030, 1, 6, 9))
    notify.send_due(utc(2030, 1, 1, 8))  # the booking notices
    set_restriction(client_user, True)
    mail.outbox.clear()
    assert notify.send_due(utc(2030, 1, 5, 8, 30)) == 0
    assert mail.outbox == []  # neither the client nor the counselor about them
    set_restriction(client_user, False)
    assert notify.send_due(utc(2030, 1, 6, 8, 30)) == 2
