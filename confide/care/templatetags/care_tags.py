from typing import Any

from django import template
from django.utils.safestring import SafeString

from confide.care.rendering import render_entry

register = template.Library()


@register.simple_tag
def entry_html(entry: Any) -> SafeString:
    """An entry's body as sanitized HTML (confide/care/rendering.py)."""
    return render_entry(entry.body, entry.markdown)
