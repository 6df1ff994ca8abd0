"""Worksheet pages. Views parse, call one service function and render; the services decide who
may do what. A failed save re-renders the form with what was typed (as a 200, like the care
pages), so no draft is lost; "Save draft" is a plain submit button and works without JavaScript.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages as flash
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from confide.core.times import user_zone, when
from confide.privacy.access import Action, can_access_client, roles
from confide.worksheets import catalog, services
from confide.worksheets.forms import AnswerForm, AssignForm, CommentForm
from confide.worksheets.models import Worksheet


# --- Client ------------------------------------------------------------------------------------
@roles("client")
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """Pick a template and start it on your own."""
    if request.method == "POST":
        try:
            sheet = services.start(request.user, request.POST.get("template", ""))
        except services.WorksheetError as exc:
            flash.error(request, str(exc.message))
        else:
            return HttpResponseRedirect(reverse("worksheets:fill", args=[sheet.pk]))
    templates = [
        (t.key, catalog.title(t), catalog.text(t.definition.get("intro")))
        for t in catalog.current_templates()
    ]
    return render(request, "worksheets/start.html", {"templates": templates})


def _page(request: HttpRequest, sheet: Worksheet, form: AnswerForm | None) -> HttpResponse:
    context = {
        "sheet": sheet,
        "form": form,
        "intro": catalog.text(sheet.template.definition.get("intro")),
        "rows": catalog.rows(sheet.template, sheet.answer_map()),
        "lines": catalog.crisis_lines(sheet.template),
        "tz": user_zone(request.user),
    }
    return render(request, "worksheets/fill.html", context)


@roles("client")
@require_http_methods(["GET", "POST"])
def fill(request: HttpRequest, sheet_id: UUID) -> HttpResponse:
    """Fill in, save a draft, submit; once submitted, read it and the counselor's comment."""
    sheet = services.own_worksheet(request.user, sheet_id)
    if sheet.state not in services.OPEN:
        return _page(request, sheet, None)
    if request.method != "POST":
        return _page(request, sheet, AnswerForm.for_answers(sheet.template, sheet.answer_map()))
    form = AnswerForm(sheet.template, request.POST)
    form.is_valid()
    submitting = request.POST.get("action") == "submit"
    try:
        if submitting:
            services.submit(request.user, sheet_id, form.raw())
        else:
            services.save_draft(request.user, sheet_id, form.raw())
    except services.WorksheetError as exc:
        form.show_errors(exc)
        return _page(request, services.own_worksheet(request.user, sheet_id), form)
    if submitting:
        flash.success(request, _("Your worksheet was handed in."))
        return HttpResponseRedirect(reverse("care:home") + f"#worksheet-{sheet_id}")
    flash.success(request, _("Your draft was saved."))
    return HttpResponseRedirect(reverse("worksheets:fill", args=[sheet_id]))


@roles("client")
@require_POST
def autosave(request: HttpRequest, sheet_id: UUID) -> JsonResponse:
    """The autosave script's target: saves a draft, answers only with whether it worked (never
    with the answers)."""
    sheet = services.own_worksheet(request.user, sheet_id)
    form = AnswerForm(sheet.template, request.POST)
    try:
        saved = services.save_draft(request.user, sheet_id, form.raw())
    except services.WorksheetError as exc:
        return JsonResponse({"saved": False, "message": str(exc.message)})
    message = _("Draft saved: %(moment)s") % {"moment": when(saved.updated_at, "short")}
    return JsonResponse({"saved": True, "message": message})


# --- Counselor ---------------------------------------------------------------------------------
def _client(client_id: int) -> Any:
    """The client of that id, or None; the caller asks the access policy."""
    return get_user_model().objects.filter(pk=client_id, role="client").first()


@roles("counselor")
@require_http_methods(["GET", "POST"])
def assign(request: HttpRequest, client_id: int) -> HttpResponse:
    """Assign a template to one of your own clients (the service refuses anyone else's)."""
    client = _client(client_id)
    if client is None or not can_access_client(request.user, client_id, Action.VIEW_PROFILE):
        raise PermissionDenied
    form = AssignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.assign(
                request.user,
                client_id,
                data["template"],
                due_on=data["due_on"],
                note=data["note"],
            )
        except services.WorksheetError as exc:
            form.add_error(None, exc.message)
        else:
            flash.success(request, _("The worksheet was assigned."))
            return HttpResponseRedirect(reverse("care:client_file", args=[client_id]))
    return render(request, "worksheets/assign.html", {"form": form, "ws_client": client})


@roles("counselor")
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, sheet_id: UUID) -> HttpResponse:
    """Read a handed-in worksheet and comment on it."""
    sheet = services.worksheet_for_counselor(request.user, sheet_id)
    form = CommentForm(request.POST or None, initial={"comment": sheet.comment or ""})
    if request.method == "POST" and form.is_valid():
        try:
            services.comment(request.user, sheet_id, form.cleaned_data["comment"])
        except services.WorksheetError as exc:
            form.add_error(None, exc.message)
        else:
            flash.success(request, _("Your comment was sent."))
            return HttpResponseRedirect(reverse("worksheets:review", args=[sheet_id]))
    visible = services.answers_visible(request.user, sheet)
    context = {
        "sheet": sheet,
        "form": form if sheet.state in services.SHARED else None,
        "rows": catalog.rows(sheet.template, sheet.answer_map()) if visible else [],
        "visible": visible,
        "lines": catalog.crisis_lines(sheet.template),
        "tz": user_zone(request.user),
    }
    return render(request, "worksheets/review.html", context)
