"""Library content for tests: a published course with two modules, a draft, a PDF document."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from confide.library import uploads
from confide.library.models import Item, Module

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def course(language: str = "en", *, published: bool = True, **kw: Any) -> Item:
    item = Item.objects.create(
        kind=Item.Kind.COURSE,
        language=language,
        title=kw.pop("title", f"Course {language}"),
        summary="A short course.",
        status=Item.Status.PUBLISHED if published else Item.Status.DRAFT,
        **kw,
    )
    for n in (1, 2):
        Module.objects.create(
            item=item, position=n, kind=Module.Kind.TEXT, title=f"Step {n}", body="**Breathe**"
        )
    return item


def document_with_pdf(*, published: bool = True) -> Item:
    upload = SimpleUploadedFile("guide.pdf", PDF, content_type="application/pdf")
    name = uploads.store(upload, uploads.check(upload, {"pdf"}))
    return Item.objects.create(
        kind=Item.Kind.DOCUMENT,
        language="en",
        title="Guide",
        file_name=name,
        file_type="application/pdf",
        file_size=len(PDF),
        status=Item.Status.PUBLISHED if published else Item.Status.DRAFT,
    )
