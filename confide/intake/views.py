from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_POST

from confide.intake import engine, services
from confide.privacy.access import public


def _language() -> str:
    return (get_language() or "en")[:2]


@public
def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "intake/landing.html")


@public
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    first = services.start(request.session, request.user)
    return redirect("intake:step", key=first)


@public
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, key: str) -> HttpResponse:
    steps = engine.flow()
    if key not in steps:
        raise Http404
    defn = engine.definition(key)
    language = _language()
    previous = services.answers_for(request.session, request.user).get(key)
    form = engine.build_form(defn, language, request.POST or None, initial=previous)
    if request.method == "POST" and form.is_valid():
        result = services.save_step(request.session, request.user, key, form.cleaned_data)
        following = (
            reverse("intake:step", args=[result.next_key])
            if result.next_key
            else reverse("intake:done")
        )
        if result.risks:
            # At once, and never a dead end: the crisis page links straight on.
            return redirect(f"{reverse('intake:crisis')}?next={following}")
        return redirect(following)
    risk_items = {rule["item"]: rule for rule in defn.data.get("risk", [])}
    return render(
        request,
        "intake/step.html",
        {
            "form": form,
            "title": engine.text(defn.data["title"], language),
            "instructions": engine.text(defn.data["instructions"], language)
            if "instructions" in defn.data
            else "",
            "number": steps.index(key) + 1,
            "total": len(steps),
            "risk_items": risk_items,
            "lines": services.crisis_lines(_country(request), language),
        },
    )


def _country(request: HttpRequest) -> str | None:
    location = services.answers_for(request.session, request.user).get("intake_location") or {}
    return location.get("country")


@public
def crisis(request: HttpRequest) -> HttpResponse:
    following = request.GET.get("next", "")
    if not following.startswith("/intake/"):
        following = reverse("intake:landing")
    return render(
        request,
        "intake/crisis.html",
        {"lines": services.crisis_lines(_country(request), _language()), "next": following},
    )


@public
def done(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        services.attach(request.session, request.user)
        results = [
            (
                engine.text(d.data["title"], _language()),
                r["score"],
                engine.band_label(d, r["band"], _language()),
            )
            for d, r in services.results_for(request.user)
        ]
    else:
        results = []
    return render(request, "intake/done.html", {"results": results})
