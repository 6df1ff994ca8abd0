"""Conversation pages. Views parse, authorize (through the services) and render; the live part
is static/messaging/chat.js over the websocket, and every action also works as a plain form post
so the chat keeps working where websockets are blocked."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.contrib import messages as flash
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from confide.messaging import services
from confide.messaging.forms import MessageForm
from confide.messaging.models import Conversation
from confide.privacy.access import roles

PARTICIPANTS = ("client", "counselor")


def _context(request: HttpRequest, conversation: Conversation, **extra: object) -> dict:
    return {
        "conversation": conversation,
        "other": conversation.counselor
        if request.user.pk == conversation.client_id
        else conversation.client,
        "is_client": request.user.pk == conversation.client_id,
        **extra,
    }


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@roles(*PARTICIPANTS)
def index(request: HttpRequest) -> HttpResponse:
    services.ensure_conversations(request.user)
    conversations = services.conversations_for(request.user)
    return render(request, "messaging/index.html", {"conversations": conversations})


@roles(*PARTICIPANTS)
@require_http_methods(["GET", "POST"])
def conversation(request: HttpRequest, conversation_id: UUID) -> HttpResponse:
    convo = services.open_conversation(request.user, conversation_id)
    form = MessageForm()
    if request.method == "POST":
        form = MessageForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.send_message(
                    request.user,
                    convo,
                    form.cleaned_data["body"],
                    attachment=form.uploaded(),
                    session_key=request.session.session_key,
                )
            except services.MessagingError as exc:
                form.add_error(None, exc.message)
            else:
                return HttpResponseRedirect(reverse("messaging:conversation", args=[convo.pk]))
    services.mark_read(request.user, convo)
    page, has_more = services.history(convo)
    status = 400 if form.errors else 200
    return render(
        request,
        "messaging/conversation.html",
        _context(request, convo, messages_page=page, has_more=has_more, form=form),
        status=status,
    )


@roles(*PARTICIPANTS)
def older(request: HttpRequest, conversation_id: UUID) -> HttpResponse:
    """An earlier page of history (htmx "load earlier")."""
    convo = services.open_conversation(request.user, conversation_id, audit_access=False)
    before: datetime | None = parse_datetime(request.GET.get("before", ""))
    page, has_more = services.history(convo, before=before)
    return render(
        request,
        "messaging/_older.html",
        _context(request, convo, messages_page=page, has_more=has_more),
    )


@roles(*PARTICIPANTS)
def latest(request: HttpRequest, conversation_id: UUID) -> HttpResponse:
    """The newest page as list items: the polling fallback when websockets are blocked."""
    convo = services.open_conversation(request.user, conversation_id, audit_access=False)
    services.mark_read(request.user, convo)
    page, _more = services.history(convo)
    return render(request, "messaging/_messages.html", _context(request, convo, messages_page=page))


@roles(*PARTICIPANTS)
def attachment(request: HttpRequest, conversation_id: UUID, message_id: UUID) -> HttpResponse:
    convo = services.open_conversation(request.user, conversation_id)
    message = convo.messages.filter(pk=message_id).exclude(attachment_type="").first()
    if message is None:
        return HttpResponse(status=404)
    response = HttpResponse(message.attachment, content_type=message.attachment_type)
    response["Content-Disposition"] = "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _after_delete(request: HttpRequest, convo: Conversation, text: str) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"ok": True})
    flash.success(request, text)
    return HttpResponseRedirect(reverse("messaging:conversation", args=[convo.pk]))


def _refused(
    request: HttpRequest, convo: Conversation, exc: services.MessagingError
) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse(
            {"ok": False, "code": exc.code, "message": str(exc.message)}, status=400
        )
    flash.error(request, exc.message)
    return HttpResponseRedirect(reverse("messaging:conversation", args=[convo.pk]))


@roles("client")
@require_POST
def delete_message(request: HttpRequest, conversation_id: UUID, message_id: UUID) -> HttpResponse:
    convo = services.open_conversation(request.user, conversation_id)
    try:
        services.delete_message(request.user, convo, message_id)
    except services.MessagingError as exc:
        return _refused(request, convo, exc)
    return _after_delete(request, convo, _("The message was deleted for both of you."))


@roles("client")
@require_POST
def delete_all(request: HttpRequest, conversation_id: UUID) -> HttpResponse:
    convo = services.open_conversation(request.user, conversation_id)
    try:
        services.delete_all(request.user, convo)
    except services.MessagingError as exc:
        return _refused(request, convo, exc)
    return _after_delete(request, convo, _("All messages were deleted for both of you."))
