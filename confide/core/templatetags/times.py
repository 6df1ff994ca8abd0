"""``{{ booking.starts_at|when }}``, ``{{ message.created_at|when:"short" }}``: the one way a
template shows a date or time (styles and zone rules in ``confide.core.times``)."""

from __future__ import annotations

from django import template

from confide.core import times

register = template.Library()


@register.filter
def when(moment: times.Moment | None, style: times.Style = "full") -> str:
    return times.when(moment, style)
