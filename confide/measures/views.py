"""Measures pages. Views parse, call one service function and render; the services decide who may
do what. The questionnaire form is intake's own (engine.build_form), so items, options and
wording are the same the client met at intake."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages as flash
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from confide.intake import engine
from confide.measures import services
from confide.measures.forms import ScheduleForm
from confide.privacy.access import roles

HOME = "care:home"


def _language() -> str:
    return (get_language() or "en")[:2]


# --- Client --------------------------------------------------------------------------------------
@roles("client")
@require_http_methods(["GET", "POST"])
def fill(request: HttpRequest, schedule_id: UUID) -> HttpResponse:
    try:
        waiting = services.due_one(request.user, schedule_id)
    except services.MeasuresError as exc:
        flash.info(request, str(exc.message))
        return HttpResponseRedirect(reverse(HOME))
    defn = services.definition_of(waiting.schedule.measure)
    language = _language()
    form = engine.build_form(defn, language, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            done = services.submit(request.user, schedule_id, form.cleaned_data)
        except services.MeasuresError as exc:
            flash.info(request, str(exc.message))
            return HttpResponseRedirect(reverse(HOME))
        if done.risks:
            # At once, as at intake: the crisis page first, then straight on to "My care".
            return HttpResponseRedirect(reverse("measures:crisis"))
        flash.success(request, _("Thank you. Your answers were saved."))
        return HttpResponseRedirect(reverse(HOME) + "#measures-heading")
    context = {
        "form": form,
        "title": engine.text(defn.data["title"], language),
        "instructions": engine.text(defn.data["instructions"], language)
        if "instructions" in defn.data
        else "",
        "risk_items": {rule["item"]: rule for rule in defn.data.get("risk", [])},
        "lines": _lines(request),
        "due_on": waiting.due_on,
    }
    return render(request, "measures/fill.html", context)


def _lines(request: HttpRequest) -> list[dict[str, str]]:
    """Intake's crisis lines for the client's country (from their intake answers)."""
    from confide.intake.services import client_answers, crisis_lines

    location = client_answers(int(request.user.pk or 0)).get("intake_location") or {}
    return crisis_lines(location.get("country"), _language())


@roles("client")
def crisis(request: HttpRequest) -> HttpResponse:
    """Intake's crisis page, with "Continue" leading back to "My care"."""
    context = {"lines": _lines(request), "next": reverse(HOME)}
    return render(request, "intake/crisis.html", context)


# --- Counselor -----------------------------------------------------------------------------------
def _file(client_id: int) -> str:
    return reverse("care:client_file", args=[client_id]) + "#measures-heading"


@roles("counselor")
@require_POST
def schedule(request: HttpRequest, client_id: int) -> HttpResponse:
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        flash.error(request, _("Please check the measure, how often and the first due date."))
        return HttpResponseRedirect(_file(client_id))
    try:
        services.set_schedule(request.user, client_id, form.draft())
    except services.MeasuresError as exc:
        flash.error(request, str(exc.message))
    else:
        flash.success(request, _("The measure was scheduled."))
    return HttpResponseRedirect(_file(client_id))


@roles("counselor")
@require_POST
def stop(request: HttpRequest, schedule_id: UUID) -> HttpResponse:
    stopped = services.stop_schedule(request.user, schedule_id)
    flash.success(request, _("The schedule was stopped. Results already filled stay."))
    return HttpResponseRedirect(_file(stopped.client_id))
