from __future__ import annotations

import io
import json
import zipfile
from html.parser import HTMLParser
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from confide.privacy.clinical import is_clinical
from confide.privacy.export import build_archive, collect
from confide.privacy.inventory import all_declarations
from tests.factories import make_user

pytestmark = pytest.mark.django_db

_text = st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäöçë", min_size=3, max_size=12)


@pytest.mark.promise("RIGHTS-1")
@pytest.mark.promise("RIGHTS-6")
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    nick_a=_text,
    nick_b=_text,
    messages_a=st.lists(_text, max_size=3),
    messages_b=st.lists(_text, min_size=1, max_size=3),
)
def test_export_has_every_declared_field_and_nothing_of_others(
    nick_a: str, nick_b: str, messages_a: list[str], messages_b: list[str]
) -> None:
    import uuid

    from confide.matching.models import CareRelationship
    from confide.messaging.models import Conversation, Message

    tag = uuid.uuid4().hex[:8]
    counselor = make_user("counselor", passkey=True, password=None)
    a = make_user("client", nickname=f"A{tag}{nick_a}", password=None)
    b = make_user("client", nickname=f"B{tag}{nick_b}", phone="+46700000000", password=None)
    for user, texts in ((a, messages_a), (b, messages_b)):
        care = CareRelationship.objects.create(client=user, counselor=counselor)
        conversation = Conversation.objects.create(care=care, client=user, counselor=counselor)
        for text in texts:
            Message.objects.create(
                conversation=conversation, sender=user, body=f"{user.pk}-{tag}-{text}"
            )
    data = collect(a.pk)
    text = json.dumps(data, ensure_ascii=False)
    # Every declared field of every model holding rows about A is present.
    for declaration in all_declarations():
        if declaration.subject is None or not declaration.fields or is_clinical(declaration):
            continue
        expected = declaration.model._default_manager.filter(
            **declaration.subject_filter(a.pk)
        ).count()
        block = data["records"].get(declaration.label)
        assert (len(block["rows"]) if block else 0) == expected, declaration.label
        if block:
            for row in block["rows"]:
                assert set(declaration.fields) <= set(row)
    for body in messages_a:
        assert f"{a.pk}-{tag}-{body}" in text
    # Nothing of B: no nickname, email, message.
    assert b.nickname not in text and b.email not in text
    assert f"{b.pk}-{tag}-" not in text
    assert "password" not in [
        k
        for k, v in data["records"]["accounts.User"]["rows"][0].items()
        if isinstance(v, str) and v.startswith("md5")
    ]


@pytest.mark.promise("RIGHTS-6")
def test_archive_holds_json_schema_and_report_in_the_persons_language() -> None:
    a = make_user("client", nickname="Zoë", language="sv")
    archive, count = build_archive(a.pk, "sv")
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        assert set(zf.namelist()) == {"data.json", "schema.json", "report.html"}
        data = json.loads(zf.read("data.json"))
        schema = json.loads(zf.read("schema.json"))
        report = zf.read("report.html").decode()
    assert data["schema"] == schema["$id"]
    assert set(schema["required"]) <= set(data)
    assert count >= 1 and "Zoë" in report and 'lang="sv"' in report
    user_row = data["records"]["accounts.User"]["rows"][0]
    assert user_row["password"] == {"stored": True}  # never the hash


def test_export_includes_rights_requests_and_audit_of_access(care: Any) -> None:
    from confide.privacy.access import Action, require_client_access
    from confide.privacy.services import open_request

    open_request(care.client, "restrict")
    require_client_access(care.counselor, care.client.pk, Action.VIEW_PROFILE)
    data = collect(care.client.pk)
    assert data["records"]["privacy.RightsRequest"]["rows"][0]["kind"] == "restrict"
    actors = [row["actor_id"] for row in data["records"]["audit.AuditEvent"]["rows"]]
    assert care.counselor.pk in actors


@pytest.mark.promise("CARE-7")
def test_the_clinical_record_stays_out_of_the_export_which_says_it_exists_and_whom_to_ask(
    care: Any,
) -> None:
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone

    from confide.scheduling.models import Booking

    start = timezone.now() - timedelta(days=3)
    Booking.objects.create(
        client=care.client,
        counselor=care.counselor,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        cancel_reason="clinical-words-7f3",
    )
    archive, _ = build_archive(care.client.pk, "es")
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        data = json.loads(zf.read("data.json"))
        schema = json.loads(zf.read("schema.json"))
        report = zf.read("report.html").decode()
    assert "scheduling.Booking" not in data["records"]
    assert "matching.CareRelationship" not in data["records"]
    assert "clinical-words-7f3" not in json.dumps(data) + report
    held = {item["model"]: item["count"] for item in data["held_records"]["records"]}
    assert held == {"scheduling.Booking": 1, "matching.CareRelationship": 1}
    assert "held_records" in schema["required"]
    ask = reverse("privacy:other_request")
    assert data["held_records"]["ask_url"].endswith(ask) and ask in report
    assert "consejero" in data["held_records"]["note"]  # whom to ask, in the person's language
    assert data["held_records"]["note"] in report


def test_an_export_without_a_clinical_record_says_there_is_none() -> None:
    data = collect(make_user("client").pk)
    assert data["held_records"]["records"] == []


def _english_labels() -> set[str]:
    """Every label and model name of ours as it reads in English, as typed and capitalised."""
    from django.apps import apps
    from django.utils import translation
    from django.utils.text import capfirst

    found: set[str] = set()
    with translation.override("en"):
        for config in apps.get_app_configs():
            if not config.name.startswith("confide."):
                continue
            for model in config.get_models():
                names = [model._meta.verbose_name, model._meta.verbose_name_plural]
                names += [
                    getattr(field, "verbose_name", "")
                    for field in model._meta.get_fields()
                    if not field.auto_created
                ]
                found |= {str(name) for name in names} | {str(capfirst(name)) for name in names}
    return found


class _Headings(HTMLParser):
    """Text of every table header and section heading of the report."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in {"th", "h2", "li"}:
            self._open, self.texts = tag, [*self.texts, ""]

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open:
            self.texts[-1] += data


@pytest.mark.promise("RIGHTS-1")
def test_the_spanish_export_names_every_field_and_record_in_spanish() -> None:
    from tests.i18n.test_model_labels import MODEL_NAMES_PENDING, SAME_AS_ENGLISH
    from tests.privacy.scenario import seed_everything

    client = make_user("client", language="es", password=None)
    counselor = make_user("counselor", passkey=True, password=None)
    seed_everything(client, counselor, "es-labels")
    archive, _ = build_archive(client.pk, "es")
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        data = json.loads(zf.read("data.json"))
        report = zf.read("report.html").decode()
    assert len(data["records"]) >= 10 and data["held_records"]["records"]  # a real spread
    english = _english_labels() - SAME_AS_ENGLISH["es"]
    pending = {label for label in data["records"] if label.split(".")[0] in MODEL_NAMES_PENDING}
    leftovers = [
        f"{label}.{name}: {meta['label']}"
        for label, block in data["records"].items()
        for name, meta in block["fields"].items()
        if meta["label"] in english
    ]
    leftovers += [
        f"{label}: {block['title']}"
        for label, block in data["records"].items()
        if block["title"] in english and label not in pending
    ]
    leftovers += [
        f"{item['model']}: {item['title']}"
        for item in data["held_records"]["records"]
        if item["title"] in english
    ]
    pending_titles = {data["records"][label]["title"].capitalize() for label in pending}
    parser = _Headings()
    parser.feed(report)
    leftovers += [
        f"report: {text}"
        for text in parser.texts
        if text.split(":")[0] in english and text.split(":")[0] not in pending_titles
    ]
    assert not leftovers, leftovers
