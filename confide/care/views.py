"""Care pages. Views parse, call one service function and render; the services decide who may
do what. A failed save re-renders the form with what was typed, so no draft is lost (as a 200:
an error status would count the page as an error page, which must never echo content)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages as flash
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from confide.care import sections, services
from confide.care.forms import EntryForm, GoalForm, SearchForm
from confide.core.times import user_zone
from confide.privacy.access import roles


def _session_key(request: HttpRequest) -> str | None:
    return request.session.session_key


# --- Client ------------------------------------------------------------------------------------
@roles("client")
def home(request: HttpRequest) -> HttpResponse:
    context = {"sections": sections.client_sections(request), "tz": user_zone(request.user)}
    return render(request, "care/home.html", context)


@roles("client")
@require_http_methods(["GET", "POST"])
def propose_goal(request: HttpRequest) -> HttpResponse:
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.propose_goal(request.user, form.draft())
        except services.CareError as exc:
            form.add_error(None, exc.message)
        else:
            flash.success(request, _("Your goal was sent to your counselor."))
            return HttpResponseRedirect(reverse("care:home"))
    return render(request, "care/goal_form.html", {"form": form, "proposing": True})


@roles("client", "counselor")
@require_POST
def change_goal(request: HttpRequest, goal_id: UUID, change: str) -> HttpResponse:
    try:
        goal = services.change_goal(
            request.user, goal_id, change, session_key=_session_key(request)
        )
    except services.CareError as exc:
        flash.error(request, str(exc.message))
        goal = services.goal_for(request.user, goal_id)
    if request.user.pk == goal.client_id:
        return HttpResponseRedirect(reverse("care:home") + f"#goal-{goal.pk}")
    return HttpResponseRedirect(reverse("care:client_file", args=[goal.client_id]))


@roles("client")
def journal(request: HttpRequest) -> HttpResponse:
    search = SearchForm(request.GET or None)
    filters: dict[str, Any] = search.cleaned_data if search.is_valid() else {}
    entries = services.entries_of_client(
        request.user,
        query=filters.get("q", ""),
        mood=filters.get("mood", ""),
        tag=filters.get("tag", ""),
        shared=filters.get("shared", ""),
    )
    context = {
        "entries": entries,
        "search": search,
        "searching": bool(request.GET),
        "tags": services.tags_of_client(request.user),
        "tz": user_zone(request.user),
    }
    return render(request, "care/journal.html", context)


@roles("client")
@require_http_methods(["GET", "POST"])
def new_entry(request: HttpRequest) -> HttpResponse:
    form = EntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.write_entry(request.user, form.draft())
        except services.CareError as exc:
            form.add_error(None, exc.message)
        else:
            flash.success(request, _("Your entry was saved. Only you can read it."))
            return HttpResponseRedirect(reverse("care:entry", args=[entry.pk]))
    return render(request, "care/entry_form.html", {"form": form})


@roles("client")
@require_http_methods(["GET", "POST"])
def entry(request: HttpRequest, entry_id: UUID) -> HttpResponse:
    item = services.own_entry(request.user, entry_id)
    form = EntryForm.for_entry(item)
    if request.method == "POST":
        form = EntryForm(request.POST)
        if form.is_valid():
            try:
                services.update_entry(request.user, entry_id, form.draft())
            except services.CareError as exc:
                form.add_error(None, exc.message)
            else:
                flash.success(request, _("Your changes were saved."))
                return HttpResponseRedirect(reverse("care:entry", args=[entry_id]))
    context = {"entry": item, "form": form, "tz": user_zone(request.user)}
    return render(request, "care/entry.html", context)


_SHARING = {
    "share": (services.share_entry, _("Your counselor can now read this entry.")),
    "unshare": (services.unshare_entry, _("This entry is private again.")),
}


@roles("client")
@require_POST
def share(request: HttpRequest, entry_id: UUID, action: str) -> HttpResponse:
    if action not in _SHARING:
        raise PermissionDenied
    service, done = _SHARING[action]
    try:
        service(request.user, entry_id)
    except services.CareError as exc:
        flash.error(request, str(exc.message))
    else:
        flash.success(request, str(done))
    return HttpResponseRedirect(reverse("care:entry", args=[entry_id]))


@roles("client")
@require_POST
def delete_entry(request: HttpRequest, entry_id: UUID) -> HttpResponse:
    services.delete_entry(request.user, entry_id)
    flash.success(request, _("The entry was deleted."))
    return HttpResponseRedirect(reverse("care:journal"))


# --- Counselor ---------------------------------------------------------------------------------
@roles("counselor")
def clients(request: HttpRequest) -> HttpResponse:
    from confide.matching.services import clients_of

    return render(request, "care/clients.html", {"cares": clients_of(request.user)})


@roles("counselor")
@require_http_methods(["GET", "POST"])
def client_file(request: HttpRequest, client_id: int) -> HttpResponse:
    client = _client_of(request.user, client_id)
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assign_goal(
                request.user, client.pk, form.draft(), session_key=_session_key(request)
            )
        except services.CareError as exc:
            form.add_error(None, exc.message)
        else:
            flash.success(request, _("The goal was assigned."))
            return HttpResponseRedirect(reverse("care:client_file", args=[client.pk]))
    context = {
        "client": client,
        "form": form,
        "sections": sections.counselor_sections(request, client),
        "tz": user_zone(request.user),
    }
    return render(request, "care/client_file.html", context)


def _client_of(counselor: Any, client_id: int) -> Any:
    """The client, if they are in active care with this counselor (the access policy decides)."""
    from confide.privacy.access import Action, can_access_client

    client = get_user_model().objects.filter(pk=client_id, role="client").first()
    if client is None or not can_access_client(counselor, client_id, Action.VIEW_PROFILE):
        raise PermissionDenied
    return client
