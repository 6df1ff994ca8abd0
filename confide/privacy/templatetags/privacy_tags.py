from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

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


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key) if mapping else None


#: How an audit action reads in the person's "who accessed my record" list.
ACTION_LABELS = {
    "view_profile": _("viewed your profile"),
    "view_identity": _("viewed your name and contact details"),
    "view_clinical": _("viewed your care records"),
    "write_clinical": _("wrote in your care records"),
    "message": _("opened your conversation"),
    "schedule": _("worked on your appointments"),
    "join_session": _("joined a session with you"),
}


@register.filter
def access_label(action: str) -> str:
    """``access.view_clinical`` → "viewed your care records" (break-glass and refusals say so)."""
    kind, _sep, what = action.partition(".")
    label = ACTION_LABELS.get(what.removeprefix("denied."), action)
    if kind == "break_glass":
        return str(_("emergency access: %(what)s") % {"what": label})
    if what.startswith("denied."):
        return str(_("was denied access (%(what)s)") % {"what": label})
    return str(label)


@register.filter
def role_label(role: str) -> str:
    from confide.accounts.models import Role

    return str(dict(Role.choices).get(role, role))
