"""The client's record as a PDF (WeasyPrint), in the counselor's language and time zone.

The document is built from our own template only: every note's text is escaped by the template
engine, and the fetcher refuses every URL, so a note can never make the renderer read a file or
reach the network.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from confide.core import times
from confide.core.pdf import html_to_pdf
from confide.records.services import RecordDocument
from confide.records.templates_data import TEMPLATES


def _notes(doc: RecordDocument) -> list[dict[str, Any]]:
    rows = []
    for note in doc.notes:
        template = TEMPLATES[note.template]
        content: dict[str, Any] = note.content if isinstance(note.content, dict) else {}
        rows.append(
            {
                "note": note,
                "template": template,
                "sections": [(s.label, content.get(s.key, "")) for s in template.sections],
                "addenda": sorted(note.addenda.all(), key=lambda a: a.created_at),
            }
        )
    return rows


def render_html(doc: RecordDocument) -> str:
    with times.for_person(doc.counselor, doc.language) as tz:
        context = {"doc": doc, "notes": _notes(doc), "tz": tz}
        return render_to_string("records/record_pdf.html", context)


def render_pdf(doc: RecordDocument) -> bytes:
    return html_to_pdf(render_html(doc))


def file_name(doc: RecordDocument) -> str:
    """Only digits and a date: a client's name never lands in a download folder's listing."""
    day = doc.produced_at.date().isoformat() if doc.produced_at else "record"
    return f"clinical-record-{doc.client.pk}-{day}.pdf"
