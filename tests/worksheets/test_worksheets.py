"""Worksheets (CARE-6): assign, fill, draft, submit, comment; who may see what; templates in
every language; encryption, export and erasure."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from confide.audit.models import AuditEvent
from confide.worksheets import catalog, services
from confide.worksheets.models import Worksheet, WorksheetTemplate

pytestmark = pytest.mark.django_db

KEYS = {"thought_record", "activation_plan", "gratitude_log", "safety_plan"}
FIXTURE = Path(__file__).resolve().parents[2] / "confide/worksheets/fixtures/templates.json"


def _assign(counselor: Any, client: Any, key: str = "thought_record", **kw: Any) -> Worksheet:
    return services.assign(counselor, client.pk, key, **kw)


def _fill(**answers: str) -> dict[str, str]:
    return {f"a_{k}": v for k, v in answers.items()}


# --- Templates ----------------------------------------------------------------------------------
def test_every_template_exists_in_all_four_languages() -> None:
    templates = {t.key: t for t in catalog.current_templates()}
    assert set(templates) == KEYS
    for template in templates.values():
        definition = template.definition
        for part in ("title", "intro"):
            assert all(definition[part].get(lang) for lang in catalog.LANGUAGES), template.key
        assert template.fields
        for field in template.fields:
            assert field["type"] in {"short", "long", "rating", "date"}
            assert all(field["label"].get(lang) for lang in catalog.LANGUAGES), field["id"]
            if "help" in field:
                assert all(field["help"].get(lang) for lang in catalog.LANGUAGES), field["id"]
        # Every language has its own wording, not the English copied over.
        for lang in ("es", "sv", "sq"):
            assert definition["title"][lang] != definition["title"]["en"]


def test_the_migration_loaded_exactly_the_fixture() -> None:
    entries = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert WorksheetTemplate.objects.count() == len(entries)
    types = {f["type"] for e in entries for f in e["fields"]}
    assert types == {"short", "long", "rating", "date"}


def test_the_safety_plan_shows_the_presets_crisis_lines(
    care: Any, client_user: Any, counselor: Any, client: Any
) -> None:
    from confide.intake.services import crisis_lines

    sheet = _assign(counselor, client_user, "safety_plan")
    client.force_login(client_user)
    page = client.get(reverse("worksheets:fill", args=[sheet.pk])).content.decode()
    lines = crisis_lines(None, "en")
    assert lines
    assert all(line["number"] in page for line in lines)
    other = _assign(counselor, client_user, "gratitude_log")
    assert not catalog.crisis_lines(other.template)


# --- The whole flow -----------------------------------------------------------------------------
@pytest.mark.promise("CARE-6")
def test_assign_draft_failed_save_submit_comment(
    care: Any, client_user: Any, counselor: Any, client: Any, canary: Any
) -> None:
    due = timezone.localdate() + timedelta(days=7)
    client.force_login(counselor)
    response = client.post(
        reverse("worksheets:assign", args=[client_user.pk]),
        {
            "worksheet-template": "thought_record",
            "worksheet-due_on": due.isoformat(),
            "worksheet-note": "Try this week",
        },
    )
    assert response.status_code == 302
    sheet = Worksheet.objects.get(client=client_user)
    assert sheet.state == "assigned" and sheet.due_on == due and sheet.note == "Try this week"

    client.force_login(client_user)
    home = client.get(reverse("care:home")).content.decode()
    assert "Thought record" in home and "Try this week" in home
    url = reverse("worksheets:fill", args=[sheet.pk])
    text = canary.plant("worksheet")
    response = client.post(url, {**_fill(situation=text), "action": "draft"})
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.state == "draft" and sheet.answers == {"situation": text}

    # A bad rating: a clear error, what was typed comes back, the saved draft is untouched.
    typed = {**_fill(situation=text + " more", feeling_before="eleven"), "action": "draft"}
    response = client.post(url, typed)
    page = response.content.decode()
    assert response.status_code == 200 and 'role="alert"' in page
    assert "Choose a whole number from 0 to 10." in page and text + " more" in page
    sheet.refresh_from_db()
    assert sheet.answers == {"situation": text}

    # Handing in without a required answer keeps it a draft, with what was typed saved.
    response = client.post(url, {**_fill(situation=text, feeling_before="7"), "action": "submit"})
    assert response.status_code == 200 and "This answer is required" in response.content.decode()
    sheet.refresh_from_db()
    assert sheet.state == "draft" and sheet.answers == {"situation": text, "feeling_before": 7}

    answers = _fill(
        situation=text, thought="I will fail", feeling_before="7", happened_on="2026-01-05"
    )
    assert client.post(url, {**answers, "action": "submit"}).status_code == 302
    sheet.refresh_from_db()
    assert sheet.state == "submitted" and sheet.submitted_at
    with pytest.raises(services.WorksheetError):
        services.save_draft(client_user, sheet.pk, {"situation": "changed"})

    client.force_login(counselor)
    review = reverse("worksheets:review", args=[sheet.pk])
    assert text in client.get(review).content.decode()
    assert client.post(review, {"comment": "Well spotted"}).status_code == 302
    sheet.refresh_from_db()
    assert sheet.state == "reviewed" and sheet.comment == "Well spotted" and sheet.reviewed_at

    client.force_login(client_user)
    assert "Well spotted" in client.get(url).content.decode()


@pytest.mark.promise("CARE-6")
def test_a_counselor_does_not_see_a_draft(
    care: Any, client_user: Any, counselor: Any, client: Any
) -> None:
    sheet = _assign(counselor, client_user)
    services.save_draft(client_user, sheet.pk, {"situation": "half-formed thoughts"})
    client.force_login(counselor)
    page = client.get(reverse("worksheets:review", args=[sheet.pk])).content.decode()
    assert "half-formed thoughts" not in page
    with pytest.raises(services.WorksheetError):
        services.comment(counselor, sheet.pk, "too early")


@pytest.mark.promise("CARE-6")
def test_a_client_starts_one_on_their_own(
    care: Any, client_user: Any, counselor: Any, client: Any
) -> None:
    client.force_login(client_user)
    response = client.post(reverse("worksheets:start"), {"template": "gratitude_log"})
    sheet = Worksheet.objects.get(client=client_user)
    assert response.status_code == 302 and sheet.state == "draft" and sheet.started_by_client
    assert sheet.counselor_id == counselor.pk
    # Until it is handed in, the counselor does not even learn it exists.
    assert services.worksheets_for_counselor(counselor, client_user.pk) == []
    with pytest.raises(PermissionDenied):
        services.worksheet_for_counselor(counselor, sheet.pk)
    services.submit(client_user, sheet.pk, {"first": "Sun on the balcony", "mood": "6"})
    assert services.worksheet_for_counselor(counselor, sheet.pk).answer_map()["mood"] == 6


def test_autosave_saves_and_never_echoes(
    care: Any, client_user: Any, counselor: Any, client: Any
) -> None:
    sheet = _assign(counselor, client_user)
    client.force_login(client_user)
    url = reverse("worksheets:autosave", args=[sheet.pk])
    data = client.post(url, _fill(situation="typed so far")).json()
    assert data["saved"] is True
    assert "typed so far" not in json.dumps(data)
    data = client.post(url, _fill(happened_on="not a date")).json()
    assert data["saved"] is False
    sheet.refresh_from_db()
    assert sheet.answers == {"situation": "typed so far"}


def test_the_autosave_script_is_a_static_file_not_inline(
    care: Any, client_user: Any, counselor: Any, client: Any
) -> None:
    sheet = _assign(counselor, client_user)
    client.force_login(client_user)
    page = client.get(reverse("worksheets:fill", args=[sheet.pk])).content.decode()
    assert "worksheets/autosave.js" in page
    assert 'name="action" value="draft"' in page
    tags = re.findall(r"<script\b[^>]*>", page)
    assert tags and all(" src=" in tag or "application/json" in tag for tag in tags), tags


# --- Who may see what ---------------------------------------------------------------------------
@pytest.mark.promise("CARE-6")
def test_another_counselor_and_another_client_are_refused(
    care: Any,
    client_user: Any,
    counselor: Any,
    other_counselor: Any,
    stranger: Any,
    client: Any,
) -> None:
    sheet = _assign(counselor, client_user)
    services.submit(client_user, sheet.pk, {"situation": "private", "thought": "words"})
    with pytest.raises(services.WorksheetError):
        _assign(other_counselor, client_user)
    for actor in (other_counselor, stranger):
        with pytest.raises(PermissionDenied):
            services.worksheet_for_counselor(actor, sheet.pk)
    with pytest.raises(PermissionDenied):
        services.own_worksheet(stranger, sheet.pk)
    with pytest.raises(PermissionDenied):
        services.comment(other_counselor, sheet.pk, "not mine")
    client.force_login(other_counselor)
    for name in ("worksheets:review", "worksheets:fill"):
        response = client.get(reverse(name, args=[sheet.pk]))
        assert response.status_code in (403, 404) and b"private" not in response.content
    assert client.get(reverse("worksheets:assign", args=[client_user.pk])).status_code in (403, 404)
    client.force_login(stranger)
    for name in ("worksheets:fill", "worksheets:review", "worksheets:autosave"):
        response = client.get(reverse(name, args=[sheet.pk]))
        assert response.status_code in (403, 404, 405) and b"private" not in response.content
    response = client.post(reverse("worksheets:fill", args=[sheet.pk]), _fill(situation="x"))
    assert response.status_code in (403, 404)


@pytest.mark.promise("LOG-4")
def test_the_counselors_reads_are_audited(care: Any, client_user: Any, counselor: Any) -> None:
    sheet = _assign(counselor, client_user)
    before = AuditEvent.objects.filter(action="access.view_clinical").count()
    services.worksheet_for_counselor(counselor, sheet.pk)
    services.worksheets_for_counselor(counselor, client_user.pk)
    assert AuditEvent.objects.filter(action="access.view_clinical").count() == before + 2


def test_care_ended_cuts_the_counselor_off(care: Any, client_user: Any, counselor: Any) -> None:
    sheet = _assign(counselor, client_user)
    care.ended_at = timezone.now()
    care.save()
    with pytest.raises(PermissionDenied):
        services.worksheet_for_counselor(counselor, sheet.pk)


def test_sections_appear_on_my_care_and_the_client_file(
    care: Any, client_user: Any, counselor: Any, client: Any
) -> None:
    _assign(counselor, client_user, "activation_plan", due_on=timezone.localdate())
    client.force_login(client_user)
    home = client.get(reverse("care:home")).content.decode()
    assert 'id="worksheets-heading"' in home and "Activity plan" in home
    client.force_login(counselor)
    page = client.get(reverse("care:client_file", args=[client_user.pk])).content.decode()
    assert 'id="worksheets-heading"' in page and "Assign the worksheet" in page
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "the goal and worksheet forms share an id"


def test_bad_assignments_are_refused_with_a_message(
    care: Any, client_user: Any, counselor: Any
) -> None:
    for kwargs, code in (
        ({"due_on": timezone.localdate() - timedelta(days=1)}, "due_past"),
        ({"note": "x" * 2001}, "note_long"),
    ):
        with pytest.raises(services.WorksheetError) as caught:
            _assign(counselor, client_user, **kwargs)
        assert caught.value.code == code
    with pytest.raises(services.WorksheetError):
        services.assign(counselor, client_user.pk, "no_such_template")


@pytest.mark.parametrize("lang", ["es", "sv", "sq"])
def test_every_error_is_translated(lang: str) -> None:
    from django.utils import translation

    messages = {**services.ERRORS, **{f"f_{k}": v for k, v in services.FIELD_ERRORS.items()}}
    with translation.override("en"):
        english = {k: str(v) for k, v in messages.items()}
    with translation.override(lang):
        untranslated = [k for k, v in messages.items() if str(v) == english[k]]
    assert not untranslated


# --- Privacy ------------------------------------------------------------------------------------
@pytest.mark.promise("CARE-6")
def test_answers_note_and_comment_are_encrypted_at_rest(
    care: Any, client_user: Any, counselor: Any
) -> None:
    sheet = _assign(counselor, client_user, note="note-words-xyz")
    services.submit(client_user, sheet.pk, {"situation": "answer-words-xyz", "thought": "t"})
    services.comment(counselor, sheet.pk, "comment-words-xyz")
    with connection.cursor() as cur:
        cur.execute(
            "SELECT note, answers, comment FROM worksheets_worksheet WHERE id = %s", [sheet.pk.hex]
        )
        raw = b"".join(bytes(v) for v in cur.fetchone())
    for secret in (b"note-words-xyz", b"answer-words-xyz", b"comment-words-xyz"):
        assert secret not in raw


@pytest.mark.promise("RIGHTS-3")
def test_one_worksheet_can_be_erased(
    care: Any, client_user: Any, counselor: Any, stranger: Any
) -> None:
    from confide.privacy.registry import item_action

    sheet = _assign(counselor, client_user)
    action = item_action("worksheets.Worksheet")
    assert action is not None
    assert not action.erase(stranger, str(sheet.pk))
    assert not action.erase(client_user, "not-an-id")
    assert action.erase(client_user, str(sheet.pk))
    assert not Worksheet.objects.exists()
    from confide.privacy.erasure import erase_item

    again = _assign(counselor, client_user)
    receipt = erase_item(client_user, "worksheets.Worksheet", str(again.pk))
    assert receipt["erased"][0]["model"] == "worksheets.Worksheet"
    assert not Worksheet.objects.exists()


@pytest.mark.promise("RIGHTS-1")
@pytest.mark.promise("RIGHTS-6")
def test_the_export_holds_worksheets(care: Any, client_user: Any, counselor: Any) -> None:
    from confide.privacy.export import collect

    sheet = _assign(counselor, client_user, note="for the export")
    services.submit(client_user, sheet.pk, {"situation": "exported words", "thought": "t"})
    services.comment(counselor, sheet.pk, "exported comment")
    data = collect(client_user.pk)
    rows = data["records"]["worksheets.Worksheet"]["rows"]
    (template,) = data["sections"]["worksheet_templates"]
    assert template["id"] == rows[0]["template"] and template["key"] == "thought_record"
    assert template["fields"][1]["label"]["sv"] == "Situationen"
    from confide.privacy.export import build_archive

    archive, _count = build_archive(client_user.pk, "es")
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        assert "exported words" in zf.read("report.html").decode()
        assert "exported words" in zf.read("data.json").decode()
    assert rows[0]["answers"]["situation"] == "exported words"
    assert rows[0]["comment"] == "exported comment" and rows[0]["note"] == "for the export"


@pytest.mark.promise("RIGHTS-3")
@pytest.mark.promise("KEEP-1")
def test_erasing_the_account_leaves_no_worksheet_readable(
    care: Any, client_user: Any, counselor: Any
) -> None:
    from confide.privacy.erasure import erase_account

    sheet = _assign(counselor, client_user, note="note to forget")
    services.save_draft(client_user, sheet.pk, {"situation": "answer to forget"})
    erase_account(client_user)
    readable = []
    for row in Worksheet.objects.filter(client_id=client_user.pk):
        for field in ("note", "answers"):
            try:
                readable.append(str(getattr(row, field)))
            except Exception:  # noqa: S112 (shredded: no key to open it, which is the point)
                continue
    assert not any("forget" in value for value in readable)


@pytest.mark.promise("POLICY-3")
@pytest.mark.parametrize("key", sorted(KEYS))
def test_no_english_is_left_on_the_worksheet_pages(
    key: str, care: Any, client_user: Any, counselor: Any, client: Any
) -> None:
    """The pages with a worksheet in them, which the site-wide scan (tests/i18n) cannot reach."""
    from tests.i18n.test_untranslated import leftovers

    sheet = _assign(counselor, client_user, key, due_on=timezone.localdate() + timedelta(days=3))
    client.force_login(client_user)
    found = leftovers(client, client_user, reverse("worksheets:fill", args=[sheet.pk]))
    found |= leftovers(client, client_user, reverse("care:home"))
    # Answers without letters: the client's own words are not the site's to translate.
    sample = {"rating": "5", "date": "2026-02-01", "short": "42", "long": "1, 2, 3"}
    required = {f["id"]: sample[f["type"]] for f in sheet.template.fields}
    services.submit(client_user, sheet.pk, required)
    services.comment(counselor, sheet.pk, "+1")
    found |= leftovers(client, client_user, reverse("worksheets:fill", args=[sheet.pk]))
    client.force_login(counselor)
    found |= leftovers(client, counselor, reverse("worksheets:review", args=[sheet.pk]))
    found |= leftovers(client, counselor, reverse("worksheets:assign", args=[client_user.pk]))
    assert not found, found


def test_the_pages_never_skip_a_heading_level(
    care: Any, client_user: Any, counselor: Any, client: Any
) -> None:
    from tests.core.test_headings import assert_well_structured

    sheet = _assign(counselor, client_user, "safety_plan", due_on=timezone.localdate())
    client.force_login(client_user)
    for url in (
        reverse("care:home"),
        reverse("worksheets:start"),
        reverse("worksheets:fill", args=[sheet.pk]),
    ):
        assert_well_structured(client.get(url).content.decode())
    services.submit(client_user, sheet.pk, {"warning_signs": "a", "ask_for_help": "b"})
    assert_well_structured(client.get(reverse("worksheets:fill", args=[sheet.pk])).content.decode())
    client.force_login(counselor)
    for url in (
        reverse("care:client_file", args=[client_user.pk]),
        reverse("worksheets:review", args=[sheet.pk]),
        reverse("worksheets:assign", args=[client_user.pk]),
    ):
        assert_well_structured(client.get(url).content.decode())


def test_the_demo_seeds_worksheets_once() -> None:
    import io

    from confide.matching.models import CareRelationship
    from confide.worksheets import demo
    from tests.factories import make_user

    client = make_user("client", email="dee@demo.confide.localhost")
    counselor = make_user("counselor", email="cory@demo.confide.localhost")
    CareRelationship.objects.create(client=client, counselor=counselor)
    demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    states = sorted(Worksheet.objects.filter(client=client).values_list("state", flat=True))
    assert states == ["assigned", "reviewed"]
