"""Cookie and tracking consent (CONSENT-1, RIGHTS-7).

The decision in force travels in the necessary ``confide_consent`` cookie so pages can be built
without a query; the proof of every decision is a :class:`ConsentDecision` row (the user's, or an
opaque visitor id's). A decision made under an older banner version does not count: the banner
asks again.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from confide.audit.services import record as audit
from confide.privacy.consent.models import ConsentDecision, sha256_text
from confide.privacy.consent.policies import current_version

#: Bump when the banner's wording or categories change: everyone is asked again.
BANNER_VERSION = 1
STATE_COOKIE = "confide_consent"
VISITOR_COOKIE = "confide_vid"
COOKIE_MAX_AGE = 395 * 24 * 3600  # 13 months, the usual ceiling for a consent record
OPTIONAL = ("functional", "analytics", "targeting")


@dataclass(frozen=True)
class CookieInfo:
    prefix: str  # a cookie name, or a prefix when it ends with "*"
    purpose: Any
    lifetime: Any

    def matches(self, name: str) -> bool:
        return (
            name.startswith(self.prefix[:-1]) if self.prefix.endswith("*") else name == self.prefix
        )


#: Every cookie the site or its integrations may set, by category. Withdrawal deletes these.
COOKIES: dict[str, list[CookieInfo]] = {
    "necessary": [
        CookieInfo("sessionid", gettext_lazy("Keeps you signed in."), gettext_lazy("12 hours")),
        CookieInfo(
            "csrftoken", gettext_lazy("Protects forms against forgery."), gettext_lazy("1 year")
        ),
        CookieInfo(
            "django_language", gettext_lazy("Remembers your language."), gettext_lazy("1 year")
        ),
        CookieInfo(
            STATE_COOKIE, gettext_lazy("Remembers your cookie choices."), gettext_lazy("13 months")
        ),
        CookieInfo(
            "messages",
            gettext_lazy("Carries a confirmation message to the next page."),
            gettext_lazy("Until the next page"),
        ),
        CookieInfo(
            VISITOR_COOKIE,
            gettext_lazy("A random number that links your cookie choices to our record of them."),
            gettext_lazy("13 months"),
        ),
    ],
    "functional": [
        CookieInfo(
            "confide_fn_*",
            gettext_lazy("Remembers display preferences such as text size."),
            gettext_lazy("1 year"),
        ),
    ],
    "analytics": [
        CookieInfo(
            "confide_an_*",
            gettext_lazy("Counts visits and time on page for our own statistics."),
            gettext_lazy("13 months"),
        ),
        CookieInfo(
            "mp_*", gettext_lazy("Mixpanel statistics, if enabled."), gettext_lazy("1 year")
        ),
        CookieInfo(
            "_ga*",
            gettext_lazy("Google Analytics statistics, if enabled."),
            gettext_lazy("13 months"),
        ),
    ],
    "targeting": [
        CookieInfo(
            "_fbp",
            gettext_lazy("Meta advertising measurement, if enabled."),
            gettext_lazy("3 months"),
        ),
        CookieInfo(
            "confide_ad_*",
            gettext_lazy("Measures which advertisement brought you here."),
            gettext_lazy("3 months"),
        ),
    ],
}


@dataclass(frozen=True)
class ConsentState:
    banner_version: int
    functional: bool = False
    analytics: bool = False
    targeting: bool = False

    @property
    def current(self) -> bool:
        return self.banner_version == BANNER_VERSION

    def allows(self, category: str) -> bool:
        return category == "necessary" or (self.current and bool(getattr(self, category, False)))

    def encode(self) -> str:
        flags = "".join("1" if getattr(self, c) else "0" for c in OPTIONAL)
        return f"{self.banner_version}.{flags}"

    @classmethod
    def decode(cls, value: str | None) -> ConsentState | None:
        try:
            version, flags = (value or "").split(".")
            if len(flags) != 3 or set(flags) - {"0", "1"}:
                return None
            return cls(int(version), *(f == "1" for f in flags))
        except ValueError:
            return None


def state_from_request(request: HttpRequest) -> ConsentState | None:
    """The decision in force for this browser, or ``None`` when the banner must ask."""
    state = ConsentState.decode(request.COOKIES.get(STATE_COOKIE))
    return state if state is not None and state.current else None


def notice_texts() -> list[str]:
    """The exact sentences the banner shows, in the active language, in display order.
    The banner template renders these strings, and their SHA-256 is kept as proof."""
    return [
        _("Your privacy choices"),
        _(
            "We use necessary cookies to keep you signed in and the site secure. With your "
            "permission we would also use functional cookies, statistics that help us improve "
            "the service, and advertising measurement. Nothing beyond the necessary is used until "
            "you choose, and pages about your care never load any outside service."
        ),
        *[f"{label}: {text}" for _key, label, text in category_descriptions()],
    ]


def category_descriptions() -> list[tuple[str, str, str]]:
    return [
        ("necessary", _("Necessary"), _("Sign-in, security and your choices. Always on.")),
        (
            "functional",
            _("Functional"),
            _("Remembers display preferences and plays videos embedded from YouTube or Vimeo."),
        ),
        (
            "analytics",
            _("Statistics"),
            _("Counts page views, time on page and errors, with a shortened IP address."),
        ),
        (
            "targeting",
            _("Advertising"),
            _("Tells advertisers which public page you came to, never who you are."),
        ),
    ]


def notice_sha256(language: str | None = None) -> str:
    with translation.override(language or translation.get_language()):
        return sha256_text("\n".join(notice_texts()))


def choices_for(method: str, posted: dict[str, bool]) -> dict[str, bool]:
    if method == ConsentDecision.Method.ACCEPT_ALL:
        return dict.fromkeys(OPTIONAL, True)
    if method == ConsentDecision.Method.REJECT_ALL:
        return dict.fromkeys(OPTIONAL, False)
    return {c: bool(posted.get(c)) for c in OPTIONAL}


def record_cookie_decision(
    *, user: Any, visitor_id: str, method: str, choices: dict[str, bool], language: str
) -> ConsentDecision:
    """Store one decision as proof: categories, policy and banner version, the hash of the
    notice text shown, the method and the time."""
    decision = ConsentDecision.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        visitor_id="" if getattr(user, "is_authenticated", False) else visitor_id,
        banner_version=BANNER_VERSION,
        policy_version=current_version("privacy"),
        language=language,
        notice_sha256=notice_sha256(language),
        method=method,
        **{c: bool(choices.get(c)) for c in OPTIONAL},
    )
    if decision.user_id:
        audit(
            "consent.cookies_decided",
            actor=user,
            subject_id=user.pk,
            details={"method": method, **{c: getattr(decision, c) for c in OPTIONAL}},
        )
    return decision


def latest_decision_for(user: Any) -> ConsentDecision | None:
    return (
        ConsentDecision.objects.filter(user=user, banner_version=BANNER_VERSION)
        .order_by("-decided_at")
        .first()
    )


def new_visitor_id() -> str:
    return secrets.token_urlsafe(18)


def cookies_to_delete(request_cookies: dict[str, str], state: ConsentState) -> list[str]:
    """Names of cookies this browser sent that belong to a category now switched off."""
    names = []
    for category in OPTIONAL:
        if state.allows(category):
            continue
        names += [n for n in request_cookies if any(i.matches(n) for i in COOKIES[category])]
    return names


def apply_state(request: HttpRequest, response: HttpResponse, state: ConsentState) -> None:
    """Write the state cookie and delete every cookie of a withdrawn category at once."""
    secure = request.is_secure()
    response.set_cookie(
        STATE_COOKIE, state.encode(), max_age=COOKIE_MAX_AGE, samesite="Lax", secure=secure
    )
    for name in cookies_to_delete(request.COOKIES, state):
        response.delete_cookie(name, samesite="Lax")
