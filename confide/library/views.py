"""Library pages. Views parse, call one service function and render; the services decide.

Files are served here and only here, after the same check as the page that shows them, with
``Content-Disposition`` and ``nosniff``. An embedded video becomes an iframe, and its player's
origin enters the page's ``frame-src``, only when the reader allowed functional cookies.
"""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from confide.care.rendering import render_entry
from confide.core.times import user_zone
from confide.library import services, uploads
from confide.library.forms import ItemForm, ModuleForm
from confide.library.models import LANGUAGE_CHOICES, Item, Module
from confide.matching.services import clients_of
from confide.privacy.access import roles
from confide.privacy.consent.cookies import state_from_request

READERS = ("client", "counselor", "staff", "admin")


def _role(request: HttpRequest) -> str:
    return str(getattr(request.user, "role", ""))


def _language(request: HttpRequest) -> str:
    return (get_language() or "en")[:2]


@roles(*READERS)
def index(request: HttpRequest) -> HttpResponse:
    """Published items in the reader's language, then the rest marked with their language."""
    kind = request.GET.get("kind", "")
    kind = kind if kind in Item.Kind.values else ""
    only = request.GET.get("language", "")
    only = only if only in dict(LANGUAGE_CHOICES) else ""
    listed = services.listing(_language(request), kind=kind, only_language=only)
    recommended = services.recommended_ids(request.user) if _role(request) == "client" else set()
    listed.sort(key=lambda row: row.item.pk not in recommended)  # recommended first, stable
    context = {
        "listed": listed,
        "recommended": recommended,
        "kind": kind,
        "only": only,
        "lib_kinds": Item.Kind.choices,
        "lib_languages": LANGUAGE_CHOICES,
    }
    return render(request, "library/index.html", context)


def _clients(request: HttpRequest) -> list[Any]:
    if _role(request) != "counselor":
        return []
    return [care.client for care in clients_of(request.user).select_related("client")]


@roles(*READERS)
def item(request: HttpRequest, item_id: UUID) -> HttpResponse:
    found = services.readable_item(request.user, item_id)
    modules = list(found.modules.all())
    done = services.done_ids(request.user, found)
    context = {
        "item": found,
        "modules": modules,
        "done": done,
        "done_count": sum(1 for m in modules if m.pk in done),
        "body": render_entry(found.body, True) if found.body else "",
        "recommended": _role(request) == "client"
        and found.pk in services.recommended_ids(request.user),
        "clients": _clients(request),
    }
    return render(request, "library/item.html", context)


@roles(*READERS)
def module(request: HttpRequest, item_id: UUID, module_id: UUID) -> HttpResponse:
    found = services.readable_module(request.user, item_id, module_id)
    modules = list(found.item.modules.all())
    index_of = next(i for i, m in enumerate(modules) if m.pk == found.pk)
    embed = services.embed_of(found.embed_url) if found.embed_url else None
    consent = state_from_request(request)
    allowed = bool(embed and consent is not None and consent.allows("functional"))
    context = {
        "item": found.item,
        "module": found,
        "body": render_entry(found.body, True) if found.body else "",
        "number": index_of + 1,
        "total": len(modules),
        "previous": modules[index_of - 1] if index_of else None,
        "next": modules[index_of + 1] if index_of + 1 < len(modules) else None,
        "done": found.pk in services.done_ids(request.user, found.item),
        "embed_src": embed[0] if allowed and embed else "",
    }
    response = render(request, "library/module.html", context)
    if allowed and embed:
        # For this page only; ConsentMiddleware adds its own connect-src next to it.
        response._csp_update = {"frame-src": [embed[1]]}  # type: ignore[attr-defined]
    return response


_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


#: A range that lies wholly past the end of the file (answered 416, RFC 9110 §15.5.17).
UNSATISFIABLE = (-1, -1)


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """One ``bytes=a-b`` range within the file (Safari plays media only with ranges); None for
    no usable header (the whole file), ``UNSATISFIABLE`` for one that starts past the end."""
    match = _RANGE.match(header.strip())
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":
        if int(last) == 0 or size == 0:
            return UNSATISFIABLE
        start, end = max(size - int(last), 0), size - 1
    else:
        start, end = int(first), min(int(last) if last else size - 1, size - 1)
        if start >= size:
            return UNSATISFIABLE
    return (start, end) if start <= end else None


@roles(*READERS)
def download(
    request: HttpRequest, item_id: UUID, module_id: UUID | None = None
) -> HttpResponseBase:
    """The file of an item or module the reader may see: never by a public address."""
    name, content_type = services.file_of(request.user, item_id, module_id)
    try:
        handle = default_storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    size = handle.size
    wanted = _byte_range(request.headers.get("Range", ""), size)
    response: HttpResponseBase
    if wanted == UNSATISFIABLE:
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    elif wanted is None:
        response = FileResponse(handle, content_type=content_type)
    else:
        start, end = wanted
        handle.seek(start)
        response = HttpResponse(handle.read(end - start + 1), content_type=content_type, status=206)
        handle.close()
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    disposition = "attachment" if request.GET.get("download") else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{name.rsplit("/", 1)[-1]}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Accept-Ranges"] = "bytes"
    return response


@roles("client", "counselor")
@require_POST
def mark_done(request: HttpRequest, item_id: UUID, module_id: UUID) -> HttpResponse:
    done = request.POST.get("done", "1") == "1"
    services.mark_done(request.user, item_id, module_id, done)
    return HttpResponseRedirect(reverse("library:module", args=[item_id, module_id]))


@roles("counselor")
@require_POST
def recommend(request: HttpRequest, item_id: UUID) -> HttpResponse:
    """Recommend to one of your own clients; anyone else's is refused (403) and audited."""
    try:
        client_id = int(request.POST.get("client", ""))
    except ValueError:
        raise PermissionDenied from None
    services.recommend(request.user, client_id, item_id)
    flash.success(request, _("Your client will see this recommendation on their care page."))
    return HttpResponseRedirect(reverse("library:item", args=[item_id]))


# --- Staff ---------------------------------------------------------------------------------------
@roles("staff", "admin")
def manage(request: HttpRequest) -> HttpResponse:
    services.require_staff(request.user)
    items = Item.objects.order_by("title")
    return render(request, "library/manage.html", {"items": items, "tz": user_zone(request.user)})


def _replace_file(holder: Item | Module, form: ItemForm | ModuleForm) -> None:
    upload = form.cleaned_data.get("upload")
    if upload is None:
        return
    old = holder.file_name
    holder.file_name = uploads.store(upload, form.detected)
    holder.file_type, holder.file_size = form.detected, upload.size
    if old:
        uploads.remove(old)


@roles("staff", "admin")
@require_http_methods(["GET", "POST"])
def edit_item(request: HttpRequest, item_id: UUID | None = None) -> HttpResponse:
    services.require_staff(request.user)
    instance = services.readable_item(request.user, item_id) if item_id else Item()
    form = ItemForm(request.POST or None, request.FILES or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        found = form.save(commit=False)
        _replace_file(found, form)
        services.save_item(request.user, found)
        flash.success(request, _("The item was saved."))
        return HttpResponseRedirect(reverse("library:edit_item", args=[found.pk]))
    context = {"form": form, "item": instance if item_id else None}
    return render(request, "library/edit_item.html", context)


@roles("staff", "admin")
@require_POST
def publish(request: HttpRequest, item_id: UUID) -> HttpResponse:
    services.require_staff(request.user)
    found = services.readable_item(request.user, item_id)
    try:
        services.set_published(request.user, found, request.POST.get("publish") == "1")
    except services.LibraryError as exc:
        flash.error(request, str(exc.message))
    else:
        flash.success(request, _("The status was changed."))
    return HttpResponseRedirect(reverse("library:edit_item", args=[item_id]))


@roles("staff", "admin")
@require_POST
def delete(request: HttpRequest, item_id: UUID, module_id: UUID | None = None) -> HttpResponse:
    """Delete an item (with its modules and files) or one module, once confirmed."""
    back = reverse("library:edit_item", args=[item_id])
    try:
        if request.POST.get("confirm") != "1":
            raise services.error("not_confirmed")
        if module_id is None:
            services.delete_item(request.user, item_id)
            back = reverse("library:manage")
        else:
            services.delete_module(request.user, item_id, module_id)
    except services.LibraryError as exc:
        flash.error(request, str(exc.message))
    else:
        flash.success(request, _("It was deleted."))
    return HttpResponseRedirect(back)


@roles("staff", "admin")
@require_http_methods(["GET", "POST"])
def edit_module(request: HttpRequest, item_id: UUID, module_id: UUID | None = None) -> HttpResponse:
    services.require_staff(request.user)
    course = services.readable_item(request.user, item_id)
    if course.kind != Item.Kind.COURSE:
        raise PermissionDenied
    instance = (
        services.readable_module(request.user, item_id, module_id)
        if module_id
        else Module(item=course)
    )
    form = ModuleForm(request.POST or None, request.FILES or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        found = form.save(commit=False)
        found.item = course
        _replace_file(found, form)
        services.save_module(request.user, found)
        flash.success(request, _("The module was saved."))
        return HttpResponseRedirect(reverse("library:edit_item", args=[item_id]))
    context = {"form": form, "item": course, "module": instance if module_id else None}
    return render(request, "library/edit_module.html", context)
