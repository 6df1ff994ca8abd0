"""The privacy centre: one page per person with every right, plus the pages behind it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from confide.accounts.reauth import require_recent_reauth
from confide.privacy import erasure, forms, services
from confide.privacy.access import public, roles, signed_in
from confide.privacy.access_log import access_rows
from confide.privacy.models import RightsRequest
from confide.privacy.processing import has_objected, is_restricted


def _not_editable(user: Any) -> list[Any]:
    """Labels of the person's own account facts they cannot change here (FIXED_SHOWN_FIELDS)."""
    return [user._meta.get_field(name).verbose_name for name in services.FIXED_SHOWN_FIELDS]


def _actor_names(events: list[Any]) -> dict[int, str]:
    """Display names of the people who accessed the record (as others see them)."""
    from confide.accounts.models import User

    ids = {e.actor_id for e in events if e.actor_id}
    return {u.pk: u.display_name for u in User.objects.filter(pk__in=ids, is_active=True)}


@signed_in
@require_GET
def centre(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    accesses = access_rows(user.pk, limit=50)
    context = {
        "accesses": accesses,
        "actors": _actor_names(accesses),
        "requests": RightsRequest.objects.filter(user=user)[:20],
        "restricted": is_restricted(user.pk),
        "objections": [
            (key, label, has_objected(user.pk, key)) for key, label in forms.objectable_choices()
        ],
    }
    return render(request, "privacy/centre.html", context)


@public
@require_GET
def what_we_collect(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/what_we_collect.html")


@signed_in
@require_POST
def export_start(request: HttpRequest) -> HttpResponse:
    export = services.start_export(request.user)
    return redirect("privacy:export_status", export.pk)


def _own_request(request: HttpRequest, pk: Any) -> RightsRequest:
    return get_object_or_404(RightsRequest, pk=pk, user=request.user)


@signed_in
@require_GET
def export_status(request: HttpRequest, pk: Any) -> HttpResponse:
    export = _own_request(request, pk)
    template = "privacy/partials/export_progress.html" if request.htmx else "privacy/export.html"  # type: ignore[attr-defined]
    return render(request, template, {"export": export})


@signed_in
@require_recent_reauth
@require_GET
def export_download(request: HttpRequest, pk: Any) -> HttpResponse:
    export = _own_request(request, pk)
    try:
        archive = services.open_archive(request.user, export)
    except PermissionError:
        raise Http404 from None
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="confide-export-{export.pk}.zip"'
    response["Cache-Control"] = "no-store"
    return response


@signed_in
def profile(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = forms.ProfileForm(request.POST or None, instance=user, prefix="profile")
    hide = forms.HideFieldsForm(
        request.POST or None, initial={"hidden": user.hidden_fields}, prefix="hide"
    )
    if request.method == "POST":
        if "profile-submit" in request.POST and form.is_valid():
            # A fresh copy: the bound form already set attributes on ``user``.
            changes = {name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS}
            user.refresh_from_db()
            services.rectify(user, changes)
            messages.success(request, _("Your details were saved."))
            return redirect("privacy:profile")
        if "hide-submit" in request.POST and hide.is_valid():
            services.hide_fields(user, hide.cleaned_data["hidden"])
            messages.success(request, _("Your choice of hidden details was saved."))
            return redirect("privacy:profile")
    return render(
        request,
        "privacy/profile.html",
        {"form": form, "hide": hide, "not_editable": _not_editable(user)},
    )


@signed_in
@require_POST
def restriction(request: HttpRequest) -> HttpResponse:
    form = forms.ToggleForm(request.POST)
    if not form.is_valid():
        raise PermissionDenied
    services.set_restriction(request.user, form.cleaned_data["on"])
    messages.success(request, _("Your choice was saved."))
    return redirect("privacy:centre")


@signed_in
@require_POST
def objection(request: HttpRequest) -> HttpResponse:
    form = forms.ObjectionForm(request.POST)
    if not form.is_valid():
        raise PermissionDenied
    services.set_objection(request.user, form.cleaned_data["purpose"], form.cleaned_data["on"])
    messages.success(request, _("Your choice was saved."))
    return redirect("privacy:centre")


@signed_in
def erase(request: HttpRequest) -> HttpResponse:
    categories = forms.EraseCategoriesForm(request.POST or None, prefix="cat")
    if request.method == "POST" and categories.is_valid():
        done = services.erase_categories(request.user, categories.cleaned_data["categories"])
        return redirect("privacy:request", done.pk)
    return render(
        request,
        "privacy/erase.html",
        {"categories": categories, "account": forms.EraseAccountForm(prefix="acc")},
    )


@signed_in
@require_recent_reauth
@require_POST
def erase_account(request: HttpRequest) -> HttpResponse:
    form = forms.EraseAccountForm(request.POST, prefix="acc")
    if not form.is_valid():
        categories = forms.EraseCategoriesForm(prefix="cat")
        return render(
            request, "privacy/erase.html", {"categories": categories, "account": form}, status=400
        )
    done = services.erase_account(request.user)
    logout(request)
    return render(request, "privacy/receipt.html", _receipt_context(done), status=200)


@signed_in
@require_POST
def erase_item(request: HttpRequest) -> HttpResponse:
    form = forms.EraseItemForm(request.POST)
    if not form.is_valid():
        raise PermissionDenied
    try:
        done = services.erase_item(
            request.user, form.cleaned_data["model"], form.cleaned_data["item"]
        )
    except LookupError:
        raise Http404 from None
    return redirect("privacy:request", done.pk)


@signed_in
def other_request(request: HttpRequest) -> HttpResponse:
    form = forms.OtherRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        filed = services.request_other(request.user, form.cleaned_data["details"])
        messages.success(request, _("Your request was received. We answer within one month."))
        return redirect("privacy:request", filed.pk)
    return render(request, "privacy/other_request.html", {"form": form})


@roles("staff", "admin")
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/queue.html", {"requests": services.open_requests()})


@roles("staff", "admin")
def handle_request(request: HttpRequest, pk: Any) -> HttpResponse:
    try:
        item = services.get_request_for_staff(request.user, pk)
    except RightsRequest.DoesNotExist:
        raise Http404 from None
    form = forms.HandleRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.handle_request(
                request.user, item, form.cleaned_data["state"], reason=form.cleaned_data["reason"]
            )
        except services.InvalidTransition:
            form.add_error("state", _("This request cannot move to that status."))
        else:
            messages.success(request, _("The request was updated."))
            return redirect("privacy:queue")
    return render(request, "privacy/handle_request.html", {"item": item, "form": form})


def _receipt_context(done: RightsRequest) -> dict[str, Any]:
    return {
        "done": done,
        "lines": erasure.receipt_lines(done.receipt),
        "backup_delay_days": services.backup_delay_days(),
    }


@signed_in
@require_GET
def request_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    return render(request, "privacy/receipt.html", _receipt_context(_own_request(request, pk)))


@roles("team_leader", "staff", "admin")
def held_records(request: HttpRequest, subject_id: int) -> HttpResponse:
    """Break-glass reading of an erased account's legally held records (audited, with reason)."""
    if not erasure.is_held(subject_id):
        raise Http404
    form = forms.BreakGlassForm(request.POST or None)
    records = None
    if request.method == "POST" and form.is_valid():
        records = erasure.read_held(request.user, subject_id, reason=form.cleaned_data["reason"])
    return render(
        request, "privacy/held.html", {"form": form, "records": records, "subject_id": subject_id}
    )
