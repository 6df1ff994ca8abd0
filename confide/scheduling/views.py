"""Scheduling pages. Views parse, authorize, call one service function and render."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from confide.core.times import user_zone
from confide.presets import current_preset
from confide.privacy.access import public, roles
from confide.scheduling import ical, services
from confide.scheduling.forms import (
    AvailabilityForm,
    CancelForm,
    ExceptionForm,
    FeedForm,
    ReminderForm,
    SlotForm,
)
from confide.scheduling.models import Booking, DateException
from confide.scheduling.slots import group_by_day

ICS = "text/calendar; charset=utf-8"


def _free_hours() -> int:
    return int(current_preset().free_change_before.total_seconds() // 3600)


def _slot_page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    tz = user_zone(request.user)
    days = group_by_day(context.pop("slots", []), tz)
    return render(request, template, {**context, "days": days, "tz": tz}, status=status)


@roles("client", "counselor")
@require_GET
def sessions(request: HttpRequest) -> HttpResponse:
    upcoming, past, visible = services.bookings_of(request.user)
    return render(
        request,
        "scheduling/sessions.html",
        {"upcoming": upcoming, "past": past, "visible": visible, "tz": user_zone(request.user)},
    )


@roles("client")
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest) -> HttpResponse:
    counselor = services.counselor_of(request.user)
    context: dict[str, Any] = {"counselor": counselor, "taken": False}
    status = 200
    if request.method == "POST":
        form = SlotForm(request.POST)
        if form.is_valid():
            try:
                booking = services.book(request.user, form.cleaned_data["starts_at"])
            except services.SlotTaken as taken:
                context.update(taken=True, slots=taken.alternatives)
                return _slot_page(request, "scheduling/book.html", context, status=409)
            except services.SchedulingError as refused:
                messages.error(request, refused.message)
                status = 400
            else:
                messages.success(
                    request,
                    _("Your session is booked.")
                    if booking.status == "confirmed"
                    else _("Your request was sent to your counselor."),
                )
                return redirect("scheduling:booking", booking.id)
        else:
            messages.error(request, _("Please choose one of the times offered."))
            status = 400
    context["slots"] = services.slots_for(counselor.pk) if counselor else []
    return _slot_page(request, "scheduling/book.html", context, status=status)


@roles("client", "counselor")
@require_GET
def booking(request: HttpRequest, booking_id: Any) -> HttpResponse:
    found = services.booking_for(request.user, booking_id)
    changeable = found.is_active and found.starts_at > dj_timezone.now()
    slots = services.move_options(found) if changeable else []
    return _slot_page(
        request,
        "scheduling/booking.html",
        {
            "booking": found,
            "other": ical.other_party(found, request.user),
            "changeable": changeable,
            "is_counselor": request.user.pk == found.counselor_id,
            "cancel_form": CancelForm(),
            "free_hours": _free_hours(),
            "slots": slots,
        },
    )


@roles("client", "counselor")
@require_POST
def reschedule(request: HttpRequest, booking_id: Any) -> HttpResponse:
    found = services.booking_for(request.user, booking_id)
    form = SlotForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose one of the times offered."))
        return redirect("scheduling:booking", found.id)
    try:
        services.reschedule(request.user, found, form.cleaned_data["starts_at"])
    except services.SlotTaken as taken:
        return _slot_page(
            request,
            "scheduling/booking.html",
            {
                "booking": found,
                "other": ical.other_party(found, request.user),
                "changeable": True,
                "is_counselor": request.user.pk == found.counselor_id,
                "cancel_form": CancelForm(),
                "taken": True,
                "free_hours": _free_hours(),
                "slots": taken.alternatives,
            },
            status=409,
        )
    except services.SchedulingError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The session was moved."))
    return redirect("scheduling:booking", found.id)


@roles("client", "counselor")
@require_POST
def cancel(request: HttpRequest, booking_id: Any) -> HttpResponse:
    found = services.booking_for(request.user, booking_id)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please shorten the reason to 300 characters."))
        return redirect("scheduling:booking", found.id)
    try:
        done = services.cancel(request.user, found, form.cleaned_data["reason"])
    except services.SchedulingError as refused:
        messages.error(request, refused.message)
    else:
        if done.late_cancellation:
            messages.warning(
                request,
                _("The session was cancelled. It was cancelled late, and this has been recorded."),
            )
        else:
            messages.success(request, _("The session was cancelled."))
    return redirect("scheduling:booking", found.id)


@roles("counselor")
@require_POST
def answer(request: HttpRequest, booking_id: Any, decision: str) -> HttpResponse:
    found = services.booking_for(request.user, booking_id)
    try:
        if decision == "approve":
            services.approve(request.user, found)
        else:
            form = CancelForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.decline(request.user, found, reason)
    except services.SchedulingError as refused:
        messages.error(request, refused.message)
    return redirect("scheduling:booking", found.id)


@roles("client", "counselor")
@require_GET
def invite(request: HttpRequest, booking_id: Any) -> HttpResponse:
    found = services.booking_for(request.user, booking_id)
    method = "REQUEST" if found.is_active else "CANCEL"
    response = HttpResponse(ical.invite(found, request.user, method), content_type=ICS)
    response["Content-Disposition"] = 'attachment; filename="session.ics"'
    return response


@roles("counselor")
@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    tz = user_zone(request.user)
    try:
        picked = date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        picked = dj_timezone.now().astimezone(tz).date()
    monday = picked - timedelta(days=picked.weekday())
    rows, visible = services.week_for(request.user, monday)
    days: list[tuple[date, list[Booking]]] = [(monday + timedelta(days=i), []) for i in range(7)]
    for row in rows:
        days[(row.starts_at.astimezone(tz).date() - monday).days][1].append(row)
    return render(
        request,
        "scheduling/calendar.html",
        {
            "days": days,
            "visible": visible,
            "tz": tz,
            "monday": monday,
            "previous": monday - timedelta(days=7),
            "next": monday + timedelta(days=7),
            "today": dj_timezone.now().astimezone(tz).date(),
        },
    )


@roles("counselor")
@require_http_methods(["GET", "POST"])
def availability(request: HttpRequest) -> HttpResponse:
    rules = services.availability_for(request.user)
    if request.method == "POST":
        form = AvailabilityForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            services.save_availability(
                request.user,
                timezone=data["timezone"],
                weekly=form.weekly(),
                session_minutes=data["session_minutes"],
                buffer_minutes=data["buffer_minutes"],
                min_notice_hours=data["min_notice_hours"],
                horizon_days=data["horizon_days"],
                requires_approval=data["requires_approval"],
            )
            messages.success(request, _("Your availability was saved."))
            return redirect("scheduling:availability")
    else:
        initial: dict[str, Any] = {
            "timezone": rules.timezone,
            "session_minutes": rules.session_minutes,
            "buffer_minutes": rules.buffer_minutes,
            "min_notice_hours": rules.min_notice_minutes // 60,
            "horizon_days": rules.horizon_days,
            "requires_approval": rules.requires_approval,
        }
        initial.update(services.weekly_initial(request.user))
        form = AvailabilityForm(initial=initial)
    exceptions = services.upcoming_exceptions(request.user)
    return render(
        request,
        "scheduling/availability.html",
        {"form": form, "exception_form": ExceptionForm(), "exceptions": exceptions},
        status=400 if form.is_bound else 200,
    )


@roles("counselor")
@require_POST
def add_exception(request: HttpRequest) -> HttpResponse:
    form = ExceptionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        services.add_exception(
            request.user, data["date"], data["kind"], data["start_time"], data["end_time"]
        )
        messages.success(request, _("The change to your hours was saved."))
    else:
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, " ".join(errors))
    return redirect("scheduling:availability")


@roles("counselor")
@require_POST
def remove_exception(request: HttpRequest, exception_id: int) -> HttpResponse:
    try:
        services.remove_exception(request.user, exception_id)
    except DateException.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("The change to your hours was removed."))
    return redirect("scheduling:availability")


@roles("client", "counselor")
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    current = services.calendar_settings(request.user)
    new_token = ""
    action = request.POST.get("action", "")
    if action == "reminders":
        form = ReminderForm(request.POST)
        if form.is_valid():
            services.save_reminders(
                request.user, form.cleaned_data["reminders"], form.cleaned_data["sms"]
            )
            messages.success(request, _("Your reminder choices were saved."))
            return redirect("scheduling:preferences")
    elif action == "feed_on":
        feed_form = FeedForm(request.POST)
        feed_form.is_valid()
        new_token = services.enable_feed(request.user, feed_form.cleaned_data.get("details", False))
        current.refresh_from_db()
    elif action == "feed_off":
        services.disable_feed(request.user)
        messages.success(
            request, _("Your calendar feed was turned off. The old address no longer works.")
        )
        return redirect("scheduling:preferences")
    form = ReminderForm(
        initial={"reminders": current.reminder_minutes, "sms": current.sms_reminders}
    )
    feed_url = (
        request.build_absolute_uri(reverse("scheduling:feed", args=[new_token]))
        if new_token
        else ""
    )
    return render(
        request,
        "scheduling/preferences.html",
        {
            "form": form,
            "feed_form": FeedForm(initial={"details": current.feed_details}),
            "feed_on": bool(current.feed_token_hash),
            "feed_url": feed_url,
            "tz": user_zone(request.user),
        },
    )


@public
@never_cache
@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private feed. The token is the only credential; revoking it replaces nothing."""
    found = services.feed_owner(token)
    if found is None:
        raise Http404
    user, chosen = found
    body = ical.feed(user, services.feed_bookings(user), chosen.feed_details)
    response = HttpResponse(body, content_type=ICS)
    response["Cache-Control"] = "private, no-store"
    return response
