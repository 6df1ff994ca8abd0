from __future__ import annotations

from typing import Any

from django import template

from confide.privacy import manifest

register = template.Library()


@register.simple_tag
def collection_summary() -> list[Any]:
    """``{% collection_summary as collection %}``: what we collect, why, for how long."""
    return manifest.collection_summary()


@register.simple_tag
def backup_shred_delay_days() -> int:
    return manifest.backup_shred_delay_days()


@register.simple_tag
def clinical_hold_years() -> int:
    from confide.presets import current_preset

    return current_preset().clinical_record_hold.days // 365
