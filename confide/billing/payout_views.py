"""Earnings (counselors) and payouts (the "payouts" permission) pages: thin, services decide."""

from __future__ import annotations

import uuid
from datetime import date

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from confide.billing import payout_pages, payouts
from confide.privacy.access import may_handle_payouts, roles


@roles("counselor")
@require_http_methods(["GET", "POST"])
def earnings(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            payouts.set_account(
                request.user,
                request.POST.get("holder", ""),
                request.POST.get("iban", ""),
                request.POST.get("bic", ""),
            )
        except ValidationError as exc:
            for message in exc.messages:
                flash.error(request, message)
        else:
            flash.success(request, _("Your bank details were saved."))
        return HttpResponseRedirect(reverse("billing:earnings"))
    context = payout_pages.earnings_page(
        request.user, request.GET.get("month", ""), get_language() or "en"
    )
    return render(request, "billing/earnings.html", context)


def _payouts_staff(request: HttpRequest) -> None:
    if not may_handle_payouts(request.user):
        raise PermissionDenied


@roles("staff", "admin")
@require_http_methods(["GET", "POST"])
def payouts_home(request: HttpRequest) -> HttpResponse:
    _payouts_staff(request)
    if request.method == "POST":
        try:
            period_end = date.fromisoformat(request.POST.get("period_end", ""))
        except ValueError:
            period_end = timezone.localdate()
        run = payouts.run_payouts(request.user, period_end)
        flash.success(
            request,
            _("Payout run done: %(paid)d paid, %(skipped)d skipped without valid bank details.")
            % {"paid": len(run.payouts), "skipped": len(run.skipped)},
        )
        return HttpResponseRedirect(reverse("billing:payouts"))
    context = payout_pages.payouts_page(get_language() or "en")
    context["today"] = timezone.localdate().isoformat()
    return render(request, "billing/payouts.html", context)


@roles("staff", "admin")
def payout_file(request: HttpRequest, run: uuid.UUID, kind: str) -> HttpResponse:
    _payouts_staff(request)
    sepa_xml, csv_text = payouts.run_files(request.user, run)
    if kind == "xml":
        response = HttpResponse(sepa_xml, content_type="application/xml")
    else:
        response = HttpResponse(csv_text, content_type="text/csv; charset=utf-8")
    name = f"payouts-{str(run)[:8]}.{'xml' if kind == 'xml' else 'csv'}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@roles("staff", "admin")
def payout_account(request: HttpRequest, counselor_id: int) -> HttpResponse:
    """The full bank details of one counselor: the payouts permission only, audited."""
    bank = payouts.bank_details(request.user, counselor_id, full=True)
    return render(request, "billing/payout_account.html", {"bank": bank})
