"""Access and portability (RIGHTS-1, RIGHTS-6): everything held about one person.

The export is generic over the inventory: for every declared model with a subject, the rows about
this person (``ModelDeclaration.subject_filter``) with every declared field, decrypted. Apps add
sections (``registry.register_exporter``) or replace one model's part
(``registry.register_model_exporter``). The archive holds ``data.json`` (schema in
``schema.json``, documented in docs/privacy-kernel.md) and ``report.html`` in the person's
language. It is sealed at rest under the person's own data key, so erasure shreds it too.
"""

from __future__ import annotations

import base64
import io
import json
import uuid
import zipfile
from collections.abc import Callable
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from confide.core import times
from confide.privacy import clinical, files, registry
from confide.privacy.crypto import TamperedValue, decrypt
from confide.privacy.fields import EncryptedField
from confide.privacy.inventory import (
    CATEGORIES,
    LEGAL_BASES,
    PURPOSES,
    RETENTION_RULES,
    ModelDeclaration,
    all_declarations,
    law_name,
)
from confide.privacy.keys import KeyShredded

SCHEMA_ID = "https://confide.example/schemas/privacy-export/1"

#: JSON Schema of data.json (shipped inside every archive as schema.json).
SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": SCHEMA_ID,
    "title": "Confide personal data export",
    "type": "object",
    "required": ["schema", "generated_at", "subject_id", "records", "sections", "held_records"],
    "properties": {
        "schema": {"const": SCHEMA_ID},
        "generated_at": {"type": "string", "format": "date-time"},
        "subject_id": {"type": "integer"},
        "records": {
            "description": "One entry per declared model (app_label.Model) holding data about you.",
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["title", "fields", "rows"],
                "properties": {
                    "title": {"type": "string"},
                    "fields": {
                        "description": "Per field: category, purposes, legal basis, retention "
                        "(codes of the inventory; Fides keys alongside).",
                        "type": "object",
                    },
                    "rows": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["id"],
                            "description": "id plus every declared field. Bytes are "
                            '{"base64": …}; credentials are {"stored": true}; values whose key '
                            'was destroyed are {"unreadable": "shredded"}.',
                        },
                    },
                },
            },
        },
        "sections": {"description": "Extra parts contributed by apps.", "type": "object"},
        "held_records": {
            "description": "The clinical record the law makes us keep: not in this export "
            "(CARE-7). What it holds, the law, and whom to ask for it.",
            "type": "object",
            "required": ["records", "law", "note", "ask_url"],
            "properties": {
                "records": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["model", "title", "count"],
                        "properties": {
                            "model": {"type": "string"},
                            "title": {"type": "string"},
                            "count": {"type": "integer"},
                            "keepers": {
                                "description": "Who keeps these entries: whom to ask.",
                                "type": "array",
                                "items": {"type": "string"},
                            },
                            "until": {
                                "description": "When the legal period ends (ISO 8601).",
                                "type": ["string", "null"],
                            },
                        },
                    },
                },
                "law": {"type": "string"},
                "note": {"type": "string"},
                "ask_url": {"type": "string"},
            },
        },
    },
}

_HIDDEN_CATEGORIES = {"credentials"}  # never hand out password hashes or key material
#: Shown in data.json and the report wherever the clinical record is left out (CARE-7).
HELD_NOTE = _(
    "Your clinical record (your sessions, your care and any crisis alerts) is not in this "
    "copy. Health-records law makes us keep it for a set period, and a copy is given to you "
    "through your counselor: ask your counselor, or send us a request from your privacy "
    "centre and we answer within one month."
)


def plain(value: Any) -> Any:
    """A JSON-safe rendering of a field value."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, (uuid.UUID, Decimal)):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        return {"base64": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(v) for v in value]
    return str(value)


class _Row:
    """Just enough of a model instance for ``EncryptedField.aad``: its primary key."""

    __slots__ = ("pk",)

    def __init__(self, pk: Any) -> None:
        self.pk = pk


def _reader(model: type[models.Model], name: str, category: str) -> Callable[[Any, Any], Any]:
    """fn(raw column value, pk) -> exported value. Works on ``values_list`` rows: no model
    instances, and each sealed value is decrypted exactly once."""
    field = model._meta.get_field(name)
    if category in _HIDDEN_CATEGORIES:
        return lambda raw, pk: {"stored": bool(raw)}
    if isinstance(field, EncryptedField):

        def read_sealed(raw: Any, pk: Any) -> Any:
            if raw is None:
                return None
            try:
                return plain(field.decode(decrypt(raw, aad=field.aad(_Row(pk)))))  # type: ignore[arg-type]
            except (KeyShredded, TamperedValue):
                return {"unreadable": "shredded"}

        return read_sealed
    return lambda raw, pk: plain(raw)


def field_meta(declaration: ModelDeclaration | files.FileDeclaration) -> dict[str, Any]:
    meta = {}
    for name, spec in declaration.fields.items():
        meta[name] = {
            "label": _field_label(declaration, name),
            "category": spec.category,
            "fides_category": CATEGORIES[spec.category][1],
            "purposes": list(spec.purposes),
            "fides_uses": [PURPOSES[p][1] for p in spec.purposes],
            "legal_basis": spec.basis,
            "retention": spec.retention,
            "erasure": spec.erasure,
        }
    return meta


def _field_label(declaration: ModelDeclaration | files.FileDeclaration, name: str) -> str:
    if isinstance(declaration, files.FileDeclaration):
        return str(declaration.labels[name])
    return declaration.field_label(name)


def model_rows(declaration: ModelDeclaration, user_id: int) -> list[dict[str, Any]]:
    custom = registry.model_exporter(declaration.label)
    if custom is not None:
        return custom(user_id)
    model = declaration.model
    names = list(declaration.fields)
    readers = [_reader(model, name, declaration.fields[name].category) for name in names]
    attnames = [getattr(model._meta.get_field(n), "attname", n) for n in names]
    queryset = (
        model._default_manager.filter(**declaration.subject_filter(user_id))
        .order_by("pk")
        .values_list(model._meta.pk.attname, *attnames)
    )
    rows = []
    pairs = list(zip(names, readers, strict=True))
    for pk, *values in queryset.iterator(chunk_size=2000):
        row = {"id": plain(pk)}
        for (name, read), raw in zip(pairs, values, strict=True):
            row[name] = read(raw, pk)
        rows.append(row)
    return rows


def held_records(user_id: int) -> dict[str, Any]:
    """What the self-service export leaves out (CARE-7): the clinical record, which the
    counselor hands over under health-records law, with whom to ask (active language)."""
    return {
        "records": clinical.held_summary(user_id),
        "law": law_name("clinical_records"),
        "note": str(HELD_NOTE),
        "ask_url": settings.SITE_URL.rstrip("/") + reverse("privacy:other_request"),
    }


def collect(user_id: int, progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """The machine-readable export of one person (see ``SCHEMA``), without the clinical
    record, which ``held_records`` names instead."""
    declarations = [
        d
        for d in all_declarations()
        if d.subject is not None and d.fields and not clinical.is_clinical(d)
    ]
    records: dict[str, Any] = {}
    for index, declaration in enumerate(declarations, start=1):
        rows = model_rows(declaration, user_id)
        if rows:
            records[declaration.label] = {
                "title": declaration.title_text(),
                "fields": field_meta(declaration),
                "rows": rows,
            }
        if progress is not None:
            progress(int(80 * index / len(declarations)))
    outbox_rows = files.export_rows(user_id)
    if outbox_rows:
        records[files.LABEL] = {
            "title": str(files.OUTBOX.title),
            "fields": field_meta(files.OUTBOX),
            "rows": outbox_rows,
        }
    sections = {name: plain(fn(user_id)) for name, fn in sorted(registry.exporters().items())}
    return {
        "schema": SCHEMA_ID,
        "generated_at": timezone.now().isoformat(),
        "subject_id": user_id,
        "records": records,
        "sections": sections,
        "held_records": held_records(user_id),
    }


def _cell(value: Any, moment: bool = False) -> str:
    if isinstance(value, (dict, list)):
        return escape(json.dumps(value, ensure_ascii=False))
    if moment and isinstance(value, str) and value:
        return escape(times.when(value, "short"))  # data.json keeps the ISO 8601 form
    return "" if value is None else escape(str(value))


def _moment_fields(label: str, names: Any) -> set[str]:
    """Which columns hold instants, to show them in the reader's zone rather than as ISO UTC."""
    try:
        model = apps.get_model(label)
    except LookupError:  # a file store (files.outbox): its moments are ISO strings
        return {"sent_at"} & set(names)
    found = set()
    for name in names:
        try:
            if isinstance(model._meta.get_field(name), models.DateTimeField):
                found.add(name)
        except FieldDoesNotExist:
            continue
    return found


def _tables(data: dict[str, Any]) -> str:
    """The record tables, built directly (a template loop over thousands of rows is slow)."""
    parts = []
    for label, block in data["records"].items():
        fields = block["fields"]
        moments = _moment_fields(label, fields)
        heads = "".join(
            f'<th scope="col">{escape(capfirst(m["label"]))}</th>' for m in fields.values()
        )
        parts.append(
            f'<section aria-labelledby="m-{escape(label)}"><h2 id="m-{escape(label)}">'
            f"{escape(capfirst(block['title']))}</h2><table><thead><tr>{heads}</tr></thead><tbody>"
        )
        parts.extend(
            "<tr>"
            + "".join(f"<td>{_cell(row.get(name), name in moments)}</td>" for name in fields)
            + "</tr>"
            for row in block["rows"]
        )
        parts.append("</tbody></table></section>")
    return "".join(parts)


def report_html(data: dict[str, Any], language: str, zone: tzinfo | None = None) -> str:
    """The readable report, in the person's language and zone (``generated_at`` is shown with
    ``|when``; data.json keeps ISO 8601)."""
    with translation.override(language), timezone.override(zone or times.zone("")):
        return render_to_string(
            "privacy/export_report.html",
            {
                "data": data,
                "tables": _tables(data),
                "purposes": {k: v[0] for k, v in PURPOSES.items()},
                "bases": LEGAL_BASES,
                "retention": RETENTION_RULES,
                "language": language,
            },
        )


def build_archive(
    user_id: int,
    language: str,
    progress: Callable[[int], None] | None = None,
    *,
    zone: tzinfo | None = None,
) -> tuple[bytes, int]:
    """The zip (data.json, schema.json, report.html) and the number of records in it."""
    with translation.override(language):  # titles and the held-records note
        data = collect(user_id, progress)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("data.json", json.dumps(data, ensure_ascii=False))
        zf.writestr("schema.json", json.dumps(SCHEMA, indent=1))
        zf.writestr("report.html", report_html(data, language, zone))
    count = sum(len(block["rows"]) for block in data["records"].values())
    return buffer.getvalue(), count
