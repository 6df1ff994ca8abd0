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

#: Records that are not reads through the access policy, by the domain that wrote them: a
#: person never sees an internal action name.
DOMAIN_LABELS = {
    "scheduling": _("worked on your appointments"),
    "records": _("worked on your clinical record"),
    "care": _("worked on your goals or journal"),
    "worksheets": _("worked on your worksheets"),
    "measures": _("worked on your questionnaires"),
    "messaging": _("worked on your conversation"),
    "matching": _("worked on your choice of counselor"),
    "intake": _("worked on your questionnaire answers"),
    "account": _("worked on your account"),
    "rights": _("worked on one of your privacy requests"),
    "privacy": _("worked on one of your privacy requests"),
    "retention": _("removed data whose time was up"),
}


@register.filter
def access_label(action: str) -> str:
    """``access.view_clinical`` → "viewed your care records" (break-glass and refusals say so)."""
    kind, _sep, what = action.partition(".")
    fallback = DOMAIN_LABELS.get(kind, _("worked on your data"))
    label = ACTION_LABELS.get(what.removeprefix("denied."), fallback)
    if kind == "break_glass":
        return str(_("emergency access: %(what)s") % {"what": label})
    if what.startswith("denied."):
        return str(_("was denied access (%(what)s)") % {"what": label})
    return str(label)


@register.filter
def role_label(role: str) -> str:
    from confide.accounts.models import Role

    return str(dict(Role.choices).get(role, role))
