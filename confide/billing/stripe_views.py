"""Paying a due amount by card on Stripe's page, and Stripe's webhook. Thin: the work is in
``stripe_processor``."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from confide.billing import stripe_processor
from confide.privacy.access import public, roles

log = logging.getLogger("confide.billing")


@roles("client")
@require_POST
def pay_by_card(request: HttpRequest, due_id: int) -> HttpResponse:
    """Send the client to Stripe's Checkout page for one of their own amounts due."""
    if not settings.STRIPE_SECRET_KEY:
        raise Http404
    back = request.build_absolute_uri(reverse("core:dashboard"))
    url = stripe_processor.checkout_for(request.user, due_id, back_url=back)
    if url is None:
        raise Http404
    return HttpResponseRedirect(url)


@public
@csrf_exempt  # Stripe cannot send our CSRF token; its signature authenticates the request
@require_POST
def webhook(request: HttpRequest) -> HttpResponse:
    signature = request.headers.get("Stripe-Signature", "")
    try:
        outcome = stripe_processor.handle_webhook(request.body, signature)
    except stripe_processor.WebhookRefused:
        log.warning("stripe webhook refused: bad signature")  # no payload: it is not ours
        return JsonResponse({"error": stripe_processor.refused_message()}, status=400)
    return JsonResponse({"received": True, "duplicate": outcome.duplicate})
