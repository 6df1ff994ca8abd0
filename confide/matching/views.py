from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from confide.accounts.models import User
from confide.counselors.models import CounselorProfile
from confide.intake import engine
from confide.intake import services as intake
from confide.intake.models import CrisisFlag
from confide.matching import services
from confide.privacy.access import Action, break_glass, require_client_access, roles
from confide.privacy.services import visible_value

SHOWN = "matching_shown"


@roles("client")
@require_http_methods(["GET", "POST"])
def suggestions(request: HttpRequest) -> HttpResponse:
    """GET: up to three suggestions. POST "others": hide those and show the next ones."""
    shown = set(request.session.get(SHOWN, []))
    if request.method == "POST":
        shown |= {int(x) for x in request.POST.getlist("shown") if x.isdigit()}
        request.session[SHOWN] = sorted(shown)
        return redirect("matching:suggestions")
    try:
        found = services.suggest(request.user, exclude=shown)
    except services.MatchingRestricted:
        return render(request, "matching/restricted.html", status=403)
    profiles = CounselorProfile.objects.in_bulk([s.profile_id for s in found])
    return render(
        request,
        "matching/suggestions.html",
        {
            "suggestions": [(s, profiles[s.profile_id]) for s in found],
            "has_intake": bool(intake.client_answers(int(request.user.pk or 0))),
            "shown_any": bool(shown),
        },
    )


@roles("client")
@require_POST
def choose(request: HttpRequest) -> HttpResponse:
    try:
        services.choose(request.user, int(request.POST.get("counselor", "0")))
    except (ValueError, ValidationError):
        messages.error(request, _("That counselor is no longer available. Please choose another."))
        return redirect("matching:suggestions")
    except services.MatchingRestricted:
        raise PermissionDenied from None
    request.session.pop(SHOWN, None)
    messages.success(request, _("You are now connected with your counselor."))
    return redirect("matching:my_counselor")


@roles("client")
@require_http_methods(["GET", "POST"])
def my_counselor(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            services.request_change(request.user, request.POST.get("reason", "")[:1000])
        except ValidationError:
            return redirect("matching:suggestions")
        messages.success(
            request,
            _("Your counselor has been released. Choose someone new whenever you are ready."),
        )
        return redirect("matching:suggestions")
    counselor_id = services.current_counselor_id(request.user)
    profile = (
        CounselorProfile.objects.filter(user_id=counselor_id).first() if counselor_id else None
    )
    return render(request, "matching/my_counselor.html", {"profile": profile})


@roles("counselor")
def clients(request: HttpRequest) -> HttpResponse:
    """The counselor's own clients; identifying fields shown only here (INTAKE-5), audited."""
    rows = list(services.clients_of(request.user))
    for care in rows:
        require_client_access(request.user, care.client_id, Action.VIEW_IDENTITY, target=care)
    flagged = intake.open_flags([care.client_id for care in rows])
    people = [
        {
            "care": care,
            "flagged": care.client_id in flagged,
            **{
                name: visible_value(care.client, name, request.user)
                for name in ("first_name", "last_name", "email", "phone")
            },
        }
        for care in rows
    ]
    return render(request, "matching/clients.html", {"people": people})


@roles("counselor", "team_leader", "staff", "admin")
@require_http_methods(["GET", "POST"])
def client_detail(request: HttpRequest, client_id: int) -> HttpResponse:
    """Intake results of one client. Counselors: only with active care. Team leaders and staff:
    only through break-glass with a reason, and never the identifying fields."""
    client = get_object_or_404(User, pk=client_id, role="client")
    actor: Any = request.user
    identity = False
    if actor.role == "counselor":
        require_client_access(request.user, client.pk, Action.VIEW_CLINICAL)
        identity = True
    else:
        reason = request.POST.get("reason", "")
        if request.method != "POST":
            return render(request, "matching/break_glass.html", {"client": client})
        try:
            break_glass(request.user, client.pk, Action.VIEW_CLINICAL, reason=reason)
        except PermissionDenied:
            messages.error(request, _("Give a reason of at least 10 characters."))
            return render(request, "matching/break_glass.html", {"client": client}, status=400)
    language = (get_language() or "en")[:2]
    results = [
        (
            engine.text(d.data["title"], language),
            r["score"],
            engine.band_label(d, r["band"], language),
        )
        for d, r in intake.results_for(client)
    ]
    flags = CrisisFlag.objects.filter(client=client, seen_at__isnull=True)
    return render(
        request,
        "matching/client_detail.html",
        {"client": client, "results": results, "flags": flags, "identity": identity},
    )


@roles("counselor")
@require_POST
def flag_seen(request: HttpRequest, client_id: int) -> HttpResponse:
    require_client_access(request.user, client_id, Action.WRITE_CLINICAL)
    CrisisFlag.objects.filter(client_id=client_id, seen_at__isnull=True).update(
        seen_at=timezone.now()
    )
    return redirect("matching:client_detail", client_id=client_id)
