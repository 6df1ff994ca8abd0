"""``{% consent_summary as summary %}``: what a signed-in person has agreed to, for the privacy
centre (RIGHTS-7: every consent is shown next to the way to withdraw it)."""

from __future__ import annotations

from typing import Any

from django import template

from confide.privacy.consent import cookies, marketing
from confide.privacy.consent.models import PolicyAcceptance

register = template.Library()


@register.simple_tag(takes_context=True)
def consent_summary(context: Any) -> dict[str, Any]:
    request = context["request"]
    user = request.user
    state = cookies.state_from_request(request)
    accepted = (
        PolicyAcceptance.objects.filter(user=user).order_by("kind", "-version", "-accepted_at")
        if user.is_authenticated
        else PolicyAcceptance.objects.none()
    )
    latest: dict[str, PolicyAcceptance] = {}
    for row in accepted:
        latest.setdefault(row.kind, row)
    return {
        "cookies": [
            (label, bool(state and state.allows(key)))
            for key, label, _text in cookies.category_descriptions()
            if key != "necessary"
        ],
        "marketing": user.is_authenticated and marketing.has_marketing_grant(user.pk),
        "acceptances": list(latest.values()),
    }
