"""The counselor's client file and signing a note (issue 15).

Targets: the client file of a client with 200 journal entries (50 shared), 50 goals, 100 notes
and 52 measure results: p95 ≤ 50 ms warm, and the same number of queries for 10 or 200 entries;
signing a note ≤ 20 ms. Floors, measured in the same run: bare Django rendering a template with
the same rows as plain strings (no database, no decryption, no access policy, no middleware),
and one plain UPDATE of the note's row for signing.
"""

from __future__ import annotations

import os
from typing import Any

from benchmarks.harness import Result, percentile, summary_ms, timed

ROUNDS = 150
FLOOR_TEMPLATE = """{% for g in goals %}<li><h3>{{ g.title }}</h3><p>{{ g.why }}</p>
<p>{{ g.steps }}</p><p>{{ g.state }}</p></li>{% endfor %}
{% for e in shared %}<li><p>{{ e.body }}</p><p>{{ e.mood }}</p></li>{% endfor %}
{% for n in notes %}<tr><td>{{ n.created }}</td><td>{{ n.template }}</td><td>{{ n.status }}</td>
</tr>{% endfor %}{% for m in measures %}<tr><td>{{ m.day }}</td><td>{{ m.score }}</td></tr>
{% endfor %}"""


def _client_with(counselor: Any, email: str, entries: int, goals: int, notes: int) -> Any:
    from confide.accounts.models import User
    from confide.care import services as care
    from confide.matching.models import CareRelationship
    from confide.records import services as records

    client = User.objects.create(email=email, role="client", nickname="Bench")
    CareRelationship.objects.create(client=client, counselor=counselor)
    for n in range(goals):
        care.assign_goal(counselor, client.pk, care.GoalDraft(f"Goal {n}", "Why it matters"))
    for n in range(entries):
        entry = care.write_entry(client, care.EntryDraft(f"Entry number {n}: a calm day."))
        if n % 4 == 0:
            care.share_entry(client, entry.pk)
    for n in range(notes):
        note = records.create_note(counselor, client.pk, "free", {"text": f"Session {n}"})
        records.sign_note(counselor, note.pk)
    _measures(counselor, client, 52 if entries > 10 else 10)
    return client


def _measures(counselor: Any, client: Any, count: int) -> None:
    """``count`` PHQ-9 results a week apart, as rows (like the demo seed)."""
    from datetime import timedelta

    from django.utils import timezone

    from confide.intake import engine
    from confide.measures.models import MeasureResult, MeasureSchedule

    definition = engine.definition("phq9")
    start = timezone.localdate() - timedelta(weeks=count)
    schedule = MeasureSchedule.objects.create(
        client=client, counselor=counselor, measure="phq9", every_weeks=1, starts_on=start
    )
    for k in range(count):
        answers = {item["id"]: (k + n) % 4 if item["id"] != "phq9_9" else 0
                   for n, item in enumerate(definition.items)}  # fmt: skip
        MeasureResult.objects.create(
            client=client, schedule=schedule, measure="phq9", version=definition.version,
            due_on=start + timedelta(weeks=k), answers=answers,
            result=engine.score(definition, answers),
        )  # fmt: skip


def _seed() -> tuple[Any, Any, Any]:
    from allauth.mfa.models import Authenticator
    from django.core.management import call_command

    from confide.accounts.models import User

    call_command("migrate", verbosity=0, interactive=False)
    User.objects.filter(email__endswith="@bench-care.test").delete()
    counselor = User.objects.create(email="counselor@bench-care.test", role="counselor")
    Authenticator.objects.create(
        user=counselor, type=Authenticator.Type.WEBAUTHN, data={"credential": {}}
    )
    big = _client_with(counselor, "big@bench-care.test", 200, 50, 100)
    small = _client_with(counselor, "small@bench-care.test", 10, 10, 10)
    return counselor, big, small


def _signed_in(counselor: Any) -> Any:
    from django.test import Client

    from tests.accounts.helpers import record_passkey_step

    browser = Client()
    browser.force_login(counselor)
    session = browser.session
    record_passkey_step(session, counselor)
    session.save()
    return browser


def _floor_context(client: Any, counselor: Any) -> dict[str, Any]:
    """The same rows as plain strings, read once (decrypted) before timing."""
    from confide.care.models import Goal, JournalEntry
    from confide.records.models import Note

    goals = [
        {"title": g.title, "why": g.why, "steps": g.steps, "state": g.state}
        for g in Goal.objects.filter(client=client)
    ]
    shared = [
        {"body": e.body, "mood": e.mood}
        for e in JournalEntry.objects.filter(client=client, shared_with__isnull=False)
    ]
    notes = [
        {"created": str(n.created_at), "template": n.template, "status": n.status}
        for n in Note.objects.filter(client=client)
    ]
    measures = [{"day": str(n), "score": n % 27} for n in range(52)]
    return {"goals": goals, "shared": shared, "notes": notes, "measures": measures}


def _queries(browser: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert browser.get(url).status_code == 200
    return len(captured)


def _file_results(counselor: Any, big: Any, small: Any) -> list[Result]:
    from django.template import Context, Template

    browser = _signed_in(counselor)
    url = f"/care/clients/{big.pk}/"
    for _ in range(10):
        assert browser.get(url).status_code == 200  # warm
    page = timed(lambda: browser.get(url), ROUNDS)
    template = Template(FLOOR_TEMPLATE)
    context = _floor_context(big, counselor)
    floor = timed(lambda: template.render(Context(context)), ROUNDS)
    few, many = _queries(browser, f"/care/clients/{small.pk}/"), _queries(browser, url)
    return [
        Result(
            "care",
            "client_file_p95_ms",
            percentile(page, 95) * 1000,
            "ms",
            floor=percentile(floor, 95) * 1000,
            target="<= 50 ms",
            notes={**summary_ms(page), "queries_10_entries": few, "queries_200_entries": many},
        ),
        Result("care", "client_file_queries_200_vs_10", many - few, "queries", target="0"),
    ]


def _sign_results(counselor: Any, client: Any) -> list[Result]:
    from django.utils import timezone

    from confide.records import services as records
    from confide.records.models import Note

    drafts = [
        records.create_note(counselor, client.pk, "soap", {"subjective": f"Draft {n}"}).pk
        for n in range(2 * ROUNDS)
    ]
    pending = iter(drafts[:ROUNDS])
    signing = timed(lambda: records.sign_note(counselor, next(pending)), ROUNDS)
    plain = iter(drafts[ROUNDS:])  # still drafts: a signed row refuses any UPDATE
    floor = timed(
        lambda: Note.objects.filter(pk=next(plain)).update(updated_at=timezone.now()), ROUNDS
    )
    return [
        Result(
            "care",
            "sign_note_p95_ms",
            percentile(signing, 95) * 1000,
            "ms",
            floor=percentile(floor, 95) * 1000,
            target="<= 20 ms",
            notes=summary_ms(signing),
        )
    ]


def run() -> list[Result]:
    os.environ.setdefault("DEBUG", "false")
    from benchmarks.harness import setup_django

    setup_django()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False
    settings.WHITENOISE_AUTOREFRESH = False
    counselor, big, small = _seed()
    return [*_file_results(counselor, big, small), *_sign_results(counselor, small)]
