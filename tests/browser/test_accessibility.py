"""WCAG 2.2 AA by axe-core (the copy bundled with axe-playwright-python, injected through
Playwright, so no page loads anything from outside): every main page of each role, in every
language where the words change the layout, fails on any violation."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.factories import make_user

pytestmark = pytest.mark.browser

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
ANONYMOUS = [
    "/",
    "/intake/",
    "/intake/crisis/",
    "/accounts/login/",
    "/accounts/signup/",
    "/privacy-policy/",
    "/privacy/what-we-collect/",
    "/consent/cookies/",
]
CLIENT = [
    "/dashboard/",
    "/care/",
    "/care/journal/",
    "/care/journal/new/",
    "/schedule/",
    "/sessions/",
    "/messages/",
    "/privacy/",
    "/privacy/profile/",
    "/account/sign-ins/",
    "/library/",
    "/billing/",
]
COUNSELOR = ["/care/clients/", "/records/", "/schedule/availability/", "/library/"]


def _violations(page: Any, url: str) -> list[str]:
    page.goto(url)
    page.evaluate(AXE_SCRIPT)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
    )
    return [
        f"{url}: {v['id']} ({v['impact']}) at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


def _signed_in(new_context: Any, user: Any, base_url: str, locale: str) -> Any:
    django_client = Client()
    django_client.force_login(user)
    context = new_context(locale=locale)
    cookie = django_client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}])
    return context.new_page()


def _care_people() -> tuple[Any, Any, list[str]]:
    from confide.care import services as care
    from confide.matching.models import CareRelationship
    from confide.measures import services as measures
    from confide.records import services as records
    from confide.scheduling.models import Booking
    from confide.worksheets import services as worksheets

    client = make_user("client", email="axe.client@example.test", nickname="Axel")
    counselor = make_user("counselor", passkey=True, first_name="Ada", last_name="Xu")
    CareRelationship.objects.create(client=client, counselor=counselor)
    start = timezone.now() + timedelta(days=2)
    Booking.objects.create(
        client=client, counselor=counselor, starts_at=start, ends_at=start + timedelta(hours=1)
    )
    care.assign_goal(counselor, client.pk, care.GoalDraft("Walk each morning", "More energy"))
    entry = care.write_entry(client, care.EntryDraft("A *good* day", markdown=True, mood="good"))
    care.share_entry(client, entry.pk)
    note = records.create_note(counselor, client.pk, "soap", {"subjective": "Calmer"})
    records.sign_note(counselor, note.pk)
    sheet = worksheets.assign(counselor, client.pk, "safety_plan")
    schedule = measures.set_schedule(
        counselor, client.pk, measures.ScheduleDraft("phq9", 2, timezone.localdate())
    )
    import io

    from confide.library import demo as library_demo
    from confide.library.models import Item

    library_demo.seed(io.StringIO())
    course = Item.objects.filter(kind="course", language="en").first()
    assert course is not None
    module = course.modules.order_by("position").first()
    pages = [
        f"/care/clients/{client.pk}/",
        f"/records/clients/{client.pk}/",
        f"/records/notes/{note.pk}/",
        f"/records/clients/{client.pk}/new/",
        f"/records/clients/{client.pk}/record/",
        f"/care/worksheets/{sheet.pk}/review/",
        # The client's pages from here on.
        f"/care/journal/{entry.pk}/",
        f"/care/worksheets/{sheet.pk}/",
        "/care/worksheets/start/",
        f"/care/measures/{schedule.pk}/fill/",
        f"/library/{course.pk}/",
        f"/library/{course.pk}/modules/{module.pk}/",
    ]
    return client, counselor, pages


@pytest.mark.parametrize("locale", ["en-GB", "es-ES", "sv-SE", "sq-AL"])
def test_every_main_page_is_axe_clean(asgi_server: Any, new_context: Any, locale: str) -> None:
    client, counselor, care_pages = _care_people()
    language = locale.split("-")[0]
    client.language = counselor.language = language
    client.save()
    counselor.save()
    found: list[str] = []
    visitor = new_context(locale=locale).new_page()
    for url in ANONYMOUS:
        found += _violations(visitor, url)
    page = _signed_in(new_context, client, asgi_server.url, locale)
    for url in [*CLIENT, *care_pages[6:]]:
        found += _violations(page, url)
    page = _signed_in(new_context, counselor, asgi_server.url, locale)
    for url in [*COUNSELOR, *care_pages[:6]]:
        found += _violations(page, url)
    assert not found, "\n".join(found)
