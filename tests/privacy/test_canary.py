from __future__ import annotations

import logging
from typing import Any

import pytest
from django.core import mail

from tests.canary import Canary

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("where", ["log", "mail", "audit", "database", "page", "error_page"])
def test_canary_catches_a_leak_everywhere_it_looks(where: str, client_user: Any) -> None:
    bird = Canary()
    bird.start()
    try:
        marker = bird.plant("note")
        if where == "log":
            logging.getLogger("confide.test").info("leaked %s", marker)
        elif where == "mail":
            mail.send_mail("hello", f"text {marker}", None, ["a@example.test"])
        elif where == "audit":
            from confide.audit.services import record

            record("test", reason=marker)
        elif where == "database":
            client_user.first_name = marker
            client_user.save()
        elif where == "error_page":
            from django.test import Client

            Client().get("/no-such-page/")
            assert any(w.startswith("error page 404") for w, _ in bird.pages)  # captured
            bird.pages.append(("error page 500 /x", f"<pre>{marker}</pre>"))  # one that echoed
        else:

            class Page:
                content = f"<p>{marker}</p>".encode()

            bird.check_response(Page(), "error page")
        assert bird.leaks()
    finally:
        bird.stop()


@pytest.mark.promise("LOG-4")
def test_erasure_and_export_leak_no_content(
    canary: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from confide.privacy.services import erase_categories, start_export
    from tests.privacy.scenario import two_subjects

    a, _, _ = two_subjects(canary.plant("message-a"), canary.plant("message-b"))
    with django_capture_on_commit_callbacks(execute=True):
        start_export(a)
    erase_categories(a, ["content"])
