"""Billing pages: the client's own (trial, dues, payments, invoices) and the staff page that
marks a bank transfer paid, which issues the invoice. Thin: the services decide."""

from __future__ import annotations

from django.contrib import messages as flash
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from confide.billing import document, pages
from confide.billing.invoices import invoice_for
from confide.billing.processors import PaymentError, mark_paid
from confide.core.times import user_language
from confide.privacy.access import roles


@roles("client")
def home(request: HttpRequest) -> HttpResponse:
    context = pages.client_page(request.user, get_language() or "en")
    return render(request, "billing/home.html", context)


@roles("client")
def invoice_pdf(request: HttpRequest, invoice_id: int) -> HttpResponse:
    invoice = invoice_for(request.user, invoice_id)  # PermissionDenied for anyone but the owner
    pdf = document.render_pdf(invoice, user_language(request.user))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.file_name(invoice)}"'
    response["Cache-Control"] = "no-store"
    return response


@roles("staff", "admin")
@require_http_methods(["GET", "POST"])
def staff(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            mark_paid(request.user, int(request.POST.get("due", "0") or 0))
        except (PaymentError, ValueError):
            flash.error(request, _("That amount could not be marked paid (already paid or gone)."))
        else:
            flash.success(request, _("Marked paid. The invoice was issued and e-mailed."))
        return HttpResponseRedirect(reverse("billing:staff"))
    return render(request, "billing/staff.html", pages.staff_page(get_language() or "en"))
