"""The role × route matrix (ROLE-1, LOG-4).

Enumerates every URL pattern of the project and every role, and fails when

* a view of ours (module ``confide.*``) carries none of ``public`` / ``signed_in`` / ``roles(...)``
  from ``confide.privacy.access`` (third-party routes need an entry in ``THIRD_PARTY``), or
* a role outside a route's rule gets HTTP 200 on GET (a leak), or
* for object routes: a persona the app's hook names as "denied" gets HTTP 200.

Routes with URL parameters are resolved through per-app hooks: a module ``tests/<app>/routes.py``
defining ``object_routes(personas) -> dict[url_name, ObjectRoute]`` that creates real objects
(owned by the personas below) and says who must be refused. Routes without a hook get placeholder
values (an id that does not exist), which still proves the coarse rule. See docs/matching.md.
"""

from __future__ import annotations

import importlib
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import make_user

#: Routes that are not ours: module prefix -> who may reach them (and how that is enforced).
THIRD_PARTY: dict[str, str] = {
    "allauth.": "allauth: sign-in flows are public, account pages need a session (allauth's guard)",
    "django.contrib.admin.": "Django admin: staff and admins (ConfideAdminSite.has_permission)",
    "django.contrib.contenttypes.views": "Django admin view-on-site redirect (admin site guard)",
    "django.views.generic.base": "Django admin redirect to the change page (admin site guard)",
    "django.views.i18n": "public: language switch",
    "django.views.static": "public: static files in debug",
    "django.contrib.staticfiles.": "public: static files in debug",
}

#: Third-party routes that are public by nature although their module's rule is stricter.
PUBLIC_BY_NAME = {"admin:login", "admin:logout"}

#: Who may use the Django admin: these roles, with Django's staff flag (confide/core/admin_policy).
ADMIN_ROLES = {"staff", "admin"}

PERSONAS = (
    "anonymous",
    "client",
    "counselor",
    "other_counselor",
    "team_leader",
    "staff",
    "admin",
    "stranger",
)


@dataclass(frozen=True)
class Route:
    path: str  # pattern with converters, e.g. "matching/clients/<int:client_id>/"
    name: str  # "namespace:name"
    callback: Any

    @property
    def module(self) -> str:
        return str(getattr(self.callback, "__module__", ""))

    @property
    def rule(self) -> Any:
        return getattr(self.callback, "access_rule", None)

    @property
    def ours(self) -> bool:
        return self.module.startswith("confide.")


@dataclass
class ObjectRoute:
    kwargs: dict[str, Any]
    #: Personas that must never get 200 here, beyond the coarse role rule.
    denied: set[str] = field(default_factory=set)


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else (entry.name or "")
            yield Route(prefix + str(entry.pattern), name, entry.callback)


def all_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns))


def _placeholder(converter: str) -> str:
    return {"int": "987654", "uuid": str(uuid.uuid4())}.get(converter, "placeholder")


_PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


def build_url(route: Route, kwargs: dict[str, Any] | None) -> str | None:
    if route.path.startswith("^") or "(?P" in route.path or "$" in route.path:
        return None  # regex routes (admin catch-alls): not requestable as such
    values = kwargs or {}

    def fill(match: re.Match[str]) -> str:
        name = match.group("name")
        return str(values[name]) if name in values else _placeholder(match.group("conv") or "str")

    return "/" + _PARAM.sub(fill, route.path)


def object_hooks(personas: dict[str, Any]) -> dict[str, ObjectRoute]:
    """Collect ``object_routes`` from every ``tests/<app>/routes.py``."""
    from django.apps import apps

    hooks: dict[str, ObjectRoute] = {}
    for app in (config.name for config in apps.get_app_configs()):
        if not app.startswith("confide."):
            continue
        module_name = "tests." + app.removeprefix("confide.") + ".routes"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and module_name.startswith(exc.name):
                continue
            raise
        hooks.update(module.object_routes(personas))
    return hooks


def test_every_route_is_classified() -> None:
    unclassified = []
    for route in all_routes():
        if _is_admin(route):
            continue  # every admin view is wrapped by the site's guard: see test_the_admin_…
        if route.ours:
            if route.rule is None:
                unclassified.append(f"{route.path} ({route.name}) in {route.module}")
        elif not any(route.module.startswith(prefix) for prefix in THIRD_PARTY):
            unclassified.append(
                f"{route.path} ({route.name}) in {route.module}: not in THIRD_PARTY"
            )
    assert not unclassified, "Routes without an access classification:\n" + "\n".join(unclassified)


@pytest.fixture
def personas(
    client_user: Any,
    counselor: Any,
    other_counselor: Any,
    team_leader: Any,
    staff_user: Any,
    stranger: Any,
    care: Any,
) -> dict[str, Any]:
    admin = make_user(
        "admin", email="ada.admin@example.test", passkey=True, is_staff=True, is_superuser=True
    )
    return {
        "anonymous": None,
        "client": client_user,
        "counselor": counselor,
        "other_counselor": other_counselor,
        "team_leader": team_leader,
        "staff": staff_user,
        "admin": admin,
        "stranger": stranger,
    }


def _is_admin(route: Route) -> bool:
    return route.name.startswith("admin:")


def _may_use_admin(user: Any) -> bool:
    return bool(user is not None and user.role in ADMIN_ROLES and user.is_staff)


def _allowed(route: Route, user: Any) -> bool:
    if route.rule is not None:
        return bool(route.rule.allows(user))
    if route.name in PUBLIC_BY_NAME:
        return True
    if _is_admin(route):
        return _may_use_admin(user)
    return True  # allauth and i18n guard themselves; not checked for leaks here


@pytest.mark.promise("ROLE-1")
@pytest.mark.promise("LOG-4")
def test_no_role_gets_a_route_outside_its_rule(personas: dict[str, Any]) -> None:
    hooks = object_hooks(personas)
    clients = {}
    for name, user in personas.items():
        browser = Client(raise_request_exception=False)
        if user is not None:
            browser.force_login(user)
        clients[name] = browser
    leaks = []
    checked = 0
    for route in all_routes():
        if route.module.startswith(("allauth.", "django.views.i18n", "django.views.static")):
            continue
        hook = hooks.get(route.name)
        url = build_url(route, hook.kwargs if hook else None)
        if url is None:
            continue
        for persona, user in personas.items():
            must_refuse = not _allowed(route, user) or (hook is not None and persona in hook.denied)
            if not must_refuse:
                continue
            checked += 1
            status = clients[persona].get(url).status_code
            if status == 200:
                leaks.append(f"{persona} got 200 on {url} ({route.name})")
    assert checked > 50
    assert not leaks, "Leaks:\n" + "\n".join(leaks)


def test_hooks_cover_every_parameterised_route_of_ours(personas: dict[str, Any]) -> None:
    hooks = object_hooks(personas)
    ours = {"counselors", "intake", "matching", "care", "records", "worksheets", "measures"}
    ours |= {"library", "billing"}
    missing = [
        route.name
        for route in all_routes()
        if route.ours
        and "<" in route.path
        and route.name.split(":")[0] in ours
        and route.name not in hooks
    ]
    assert not missing, f"object routes of ours without a hook: {missing}"


#: Admin URLs the pattern walk cannot build (regex routes): an app index that stays, and the pages
#: of the models the admin policy removed, which must be gone for everybody.
ADMIN_EXTRA_URLS = {
    "/admin/auth/": 200,
    "/admin/account/emailaddress/": 404,
    "/admin/mfa/authenticator/": 404,
    "/admin/usersessions/usersession/": 404,
    "/admin/socialaccount/socialaccount/": 404,
}


def _admin_urls() -> list[str]:
    urls = [build_url(route, None) for route in all_routes() if _is_admin(route)]
    return sorted({url for url in urls if url is not None})


def _admin_answer(browser: Client, url: str) -> tuple[int, str]:
    """The status and path a browser ends on after following every redirect."""
    response = browser.get(url, follow=True)
    return response.status_code, response.request["PATH_INFO"]


@pytest.mark.promise("ROLE-1")
@pytest.mark.promise("LOG-4")
def test_the_admin_answers_every_role_rightly(personas: dict[str, Any]) -> None:
    """Staff and admins use it (staff within their Django model permissions); anonymous visitors
    are sent to the real sign-in; everybody else, a client who somehow got Django's staff flag
    included, is refused with 403. Removed models are gone for everybody."""
    people = {**personas, "client_with_staff_flag": make_user("client", is_staff=True)}
    sign_in = reverse("account_login")
    urls = _admin_urls()
    assert "/admin/" in urls and "/admin/auth/group/" in urls
    wrong = []
    for persona, user in people.items():
        browser = Client(raise_request_exception=False)
        if user is not None:
            browser.force_login(user)
        for url in [*urls, *ADMIN_EXTRA_URLS]:
            status, path = _admin_answer(browser, url)
            if user is None:
                right = path == sign_in or status == 404
            elif not _may_use_admin(user):
                right = status in {403, 404}
            elif url == "/admin/":
                right = status == 200
            elif not user.is_superuser and status in {403, 404}:
                right = True  # staff without Django model permissions: the site's own rule
            elif url in ADMIN_EXTRA_URLS:
                right = status == ADMIN_EXTRA_URLS[url]
            else:
                # 405: sign-out is POST only; 403: autocomplete refuses a request without a field.
                right = path != sign_in and (status != 403 or url == "/admin/autocomplete/")
            if not right:
                wrong.append(f"{persona} on {url}: {status} at {path}")
    assert not wrong, "Wrong answers:\n" + "\n".join(wrong)


def test_the_admin_site_asks_the_access_policy() -> None:
    from django.contrib import admin

    from confide.core.admin_policy import ConfideAdminSite

    assert isinstance(admin.site._wrapped, ConfideAdminSite)
