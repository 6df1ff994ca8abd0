"""HTML to PDF (WeasyPrint) for our own documents: the clinical record, invoices.

The fetcher refuses every URL, so a document never makes the renderer read a file or reach the
network, whatever text ends up in it (the templates escape that text anyway).
"""

from __future__ import annotations

from typing import Any, NoReturn


def _refuse(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    raise ValueError("our documents load nothing from outside")


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # heavy import: only when a PDF is made

    pdf = HTML(string=html, url_fetcher=_refuse).write_pdf()
    assert pdf is not None
    return bytes(pdf)
