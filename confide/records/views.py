"""Clinical-note pages, for the counselor only. Views parse, call one service function and
render; the services ask the access policy. A failed save re-renders what was typed, so no draft
is lost (with status 200: an error page must never echo content)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from confide.core import times
from confide.privacy.access import roles
from confide.records import document, panels, services
from confide.records.forms import AddendumForm, NoteForm, ReasonForm, TemplateChoiceForm
from confide.records.models import Note
from confide.records.templates_data import TEMPLATES


def _booking_choices(actor: Any, client_id: int) -> list[tuple[str, str]]:
    tz = times.user_zone(actor)
    return [
        (str(b.pk), times.when(b.starts_at, "full", tz))
        for b in services.bookings_for(actor, client_id)
    ]


def _note_url(note: Note) -> str:
    return reverse("records:note", args=[note.pk])


@roles("counselor")
def clients(request: HttpRequest) -> HttpResponse:
    """Everyone the counselor keeps notes about, in care now or not (notes outlive care)."""
    return render(request, "records/clients.html", {"clients": services.clients_for(request.user)})


@roles("counselor")
@never_cache
def client_notes(request: HttpRequest, client_id: int) -> HttpResponse:
    client, notes = services.client_with_notes(request.user, client_id)
    context = panels.summary(request.user, client, notes, limit=None)
    return render(request, "records/client_notes.html", context)


@roles("counselor")
@never_cache
@require_http_methods(["GET", "POST"])
def new_note(request: HttpRequest, client_id: int) -> HttpResponse:
    client = services.client_for(request.user, client_id, write=True)
    choice = TemplateChoiceForm(request.GET or request.POST or {"template": "soap"})
    template_key = choice.cleaned_data["template"] if choice.is_valid() else "soap"
    bookings = _booking_choices(request.user, client_id)
    form = NoteForm(template_key, request.POST or None, bookings=bookings)
    if request.method == "POST" and form.is_valid():
        booking = form.cleaned_data.get("booking") or None
        try:
            note = services.create_note(
                request.user,
                client_id,
                template_key,
                form.content(),
                booking_id=UUID(booking) if booking else None,
            )
        except services.NoteError as exc:
            form.add_error(None, exc.message)
        else:
            flash.success(request, _("The draft was saved. Only you can read it."))
            return HttpResponseRedirect(_note_url(note))
    context = {
        "client": client,
        "form": form,
        "choice": choice,
        "template": TEMPLATES[template_key],
    }
    return render(request, "records/note_new.html", context)


def _note_context(request: HttpRequest, note: Note, **forms: Any) -> dict[str, Any]:
    template = TEMPLATES[note.template]
    content: dict[str, Any] = note.content if isinstance(note.content, dict) else {}
    return {
        "note": note,
        "client": note.client,
        "template": template,
        "sections": [(s.label, content.get(s.key, "")) for s in template.sections],
        "addenda": list(note.addenda.select_related("author").order_by("created_at")),
        "held": services.is_held(note),
        "tz": times.user_zone(request.user),
        "form": forms.get("form")
        or (None if note.is_signed else NoteForm(note.template, initial=content)),
        "addendum_form": forms.get("addendum_form") or AddendumForm(),
        "hold_form": forms.get("hold_form") or ReasonForm(),
    }


@roles("counselor")
@never_cache
@require_http_methods(["GET", "POST"])
def note(request: HttpRequest, note_id: UUID) -> HttpResponse:
    """Read a note; while it is a draft, edit it (POST saves the draft, or saves and signs)."""
    item = services.open_note(request.user, note_id, write=request.method == "POST")
    if request.method == "GET" or item.is_signed:
        return render(request, "records/note.html", _note_context(request, item))
    form = NoteForm(item.template, request.POST)
    if form.is_valid():
        try:
            services.update_draft(request.user, note_id, form.content())
            if "sign" in request.POST:
                services.sign_note(request.user, note_id)
        except services.NoteError as exc:
            form.add_error(None, exc.message)
        else:
            signed = "sign" in request.POST
            flash.success(
                request,
                _("The note is signed. It can no longer change: corrections are addenda.")
                if signed
                else _("The draft was saved."),
            )
            return HttpResponseRedirect(_note_url(item))
    item.refresh_from_db()
    return render(request, "records/note.html", _note_context(request, item, form=form))


@roles("counselor")
@require_POST
def addendum(request: HttpRequest, note_id: UUID) -> HttpResponse:
    item = services.open_note(request.user, note_id)
    form = AddendumForm(request.POST)
    if form.is_valid():
        try:
            services.add_addendum(
                request.user, note_id, form.cleaned_data["reason"], form.cleaned_data["body"]
            )
        except services.NoteError as exc:
            form.add_error(None, exc.message)
        else:
            flash.success(request, _("The addendum was added to the signed note."))
            return HttpResponseRedirect(_note_url(item) + "#addenda")
    context = _note_context(request, item, addendum_form=form)
    return render(request, "records/note.html", context)


@roles("counselor")
@require_POST
def hold(request: HttpRequest, note_id: UUID, action: str) -> HttpResponse:
    item = services.open_note(request.user, note_id)
    if action not in ("place", "release"):
        raise PermissionDenied
    form = ReasonForm(request.POST if action == "place" else None)
    try:
        if action == "release":
            services.release_hold(request.user, note_id)
            flash.success(request, _("The legal hold was released."))
        elif form.is_valid():
            services.place_hold(request.user, note_id, form.cleaned_data["reason"])
            flash.success(request, _("The note is under a legal hold: it is kept until released."))
        else:
            return render(
                request, "records/note.html", _note_context(request, item, hold_form=form)
            )
    except services.NoteError as exc:
        flash.error(request, str(exc.message))
    return HttpResponseRedirect(_note_url(item))


@roles("counselor")
@never_cache
@require_http_methods(["GET", "POST"])
def record(request: HttpRequest, client_id: int) -> HttpResponse:
    """The client's record (signed notes and addenda) as a PDF, for a lawful request."""
    client = services.client_for(request.user, client_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            doc = services.record_for_request(request.user, client_id, form.cleaned_data["reason"])
        except services.NoteError as exc:
            form.add_error(None, exc.message)
        else:
            response = HttpResponse(document.render_pdf(doc), content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="{document.file_name(doc)}"'
            return response
    return render(request, "records/record_form.html", {"client": client, "form": form})
