"""Library services: the only code that reads or writes the library.

Staff write and publish; members (clients and counselors) read what is published, in their
language first. A counselor recommends an item to one of their own clients through the access
policy (audited, LOG-4); anyone else is refused and the refusal is audited too. Audit records
carry ids, never titles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from confide.audit import services as audit
from confide.library.models import Item, Module, Progress, Recommendation
from confide.privacy.access import Action, require_client_access

MEMBERS = ("client", "counselor")
STAFF = ("staff", "admin")


class LibraryError(Exception):
    def __init__(self, code: str, message: Any) -> None:
        super().__init__(code)
        self.code = code
        self.message = message


ERRORS: dict[str, Any] = {
    "not_your_client": _("You can only recommend the library to your own clients."),
    "not_published": _("Only published items can be recommended."),
    "empty_course": _("Add at least one module before you publish the course."),
    "empty_document": _("Add a text or a file before you publish the document."),
    "not_found": _("That item or module no longer exists."),
    "not_confirmed": _("Tick the box to confirm that you want to delete it."),
}


def error(code: str) -> LibraryError:
    return LibraryError(code, ERRORS[code])


def is_staff(user: Any) -> bool:
    return getattr(user, "role", "") in STAFF and bool(getattr(user, "is_staff", False))


# --- Reading ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Listed:
    item: Item
    #: True when the item is not in the reader's language and no translation of it is.
    other_language: bool


def listing(
    language: str, *, kind: str = "", only_language: str = "", staff: bool = False
) -> list[Listed]:
    """Published items (all, for staff): those in ``language``, plus each piece of content that
    has no version in it, in another language and marked so."""
    rows = Item.objects.all() if staff else Item.objects.filter(status=Item.Status.PUBLISHED)
    if kind:
        rows = rows.filter(kind=kind)
    items = list(rows.order_by("title"))
    if only_language:
        return [Listed(i, i.language != language) for i in items if i.language == only_language]
    covered = {i.group_id for i in items if i.language == language}
    return [
        Listed(i, i.language != language)
        for i in items
        if i.language == language or i.group_id not in covered
    ]


def readable_item(user: Any, item_id: UUID | str) -> Item:
    """A published item (any item for staff), else PermissionDenied (unknown ids too)."""
    try:
        item = Item.objects.get(pk=item_id)
    except (Item.DoesNotExist, ValidationError, ValueError):
        raise PermissionDenied from None
    if not item.published and not is_staff(user):
        raise PermissionDenied
    return item


def readable_module(user: Any, item_id: UUID | str, module_id: UUID | str) -> Module:
    item = readable_item(user, item_id)
    try:
        return item.modules.get(pk=module_id)
    except (Module.DoesNotExist, ValidationError, ValueError):
        raise PermissionDenied from None


def file_of(user: Any, item_id: UUID | str, module_id: UUID | str | None) -> tuple[str, str]:
    """(storage name, content type) of a file the user may read, else PermissionDenied."""
    holder: Item | Module = (
        readable_module(user, item_id, module_id) if module_id else readable_item(user, item_id)
    )
    if not holder.file_name:
        raise PermissionDenied
    return holder.file_name, holder.file_type


# --- Progress -----------------------------------------------------------------------------------
def mark_done(member: Any, item_id: UUID | str, module_id: UUID | str, done: bool = True) -> None:
    """Mark one module finished (or not any more) for the member."""
    module = readable_module(member, item_id, module_id)
    if done:
        Progress.objects.get_or_create(member=member, module=module)
    else:
        Progress.objects.filter(member=member, module=module).delete()


def done_ids(member: Any, item: Item) -> set[UUID]:
    return set(
        Progress.objects.filter(member=member, module__item=item).values_list(
            "module_id", flat=True
        )
    )


def progress_of(member: Any, item: Item) -> tuple[int, int]:
    """(modules done, modules in the course)."""
    return len(done_ids(member, item)), item.modules.count()


# --- Recommendations ----------------------------------------------------------------------------
def recommend(counselor: Any, client_id: int, item_id: UUID | str) -> Recommendation:
    """A counselor recommends a published item to one of their own clients in active care."""
    if getattr(counselor, "role", "") != "counselor":
        raise PermissionDenied
    item = readable_item(counselor, item_id)
    require_client_access(counselor, client_id, Action.WRITE_CLINICAL, target=item)
    with transaction.atomic():
        rec, _created = Recommendation.objects.get_or_create(
            client_id=client_id, item=item, defaults={"counselor": counselor}
        )
        audit.record("library.recommended", actor=counselor, subject_id=client_id, target=rec)
    return rec


def recommendations_for(client: Any) -> list[Recommendation]:
    """The client's own recommendations of items still published."""
    return list(
        Recommendation.objects.filter(client_id=client.pk, item__status=Item.Status.PUBLISHED)
        .select_related("item")
        .order_by("-created_at")
    )


def recommendations_by(counselor: Any, client_id: int) -> list[Recommendation]:
    """What this counselor recommended to one current client; the read is audited."""
    if getattr(counselor, "role", "") != "counselor":
        raise PermissionDenied
    require_client_access(counselor, client_id, Action.VIEW_CLINICAL)
    rows = Recommendation.objects.filter(client_id=client_id, counselor=counselor)
    return list(rows.select_related("item").order_by("-created_at"))


def recommended_ids(client: Any) -> set[UUID]:
    return {r.item_id for r in recommendations_for(client)}


# --- Staff --------------------------------------------------------------------------------------
def require_staff(user: Any) -> None:
    if not is_staff(user):
        raise PermissionDenied


def save_item(staff: Any, item: Item) -> Item:
    require_staff(staff)
    if item.author_id is None:
        item.author = staff
    item.save()
    audit.record("library.item_saved", actor=staff, target=item)
    return item


def set_published(staff: Any, item: Item, published: bool) -> Item:
    """Publish (after a check that there is something to read) or take back to draft."""
    require_staff(staff)
    if published:
        if item.kind == Item.Kind.COURSE and not item.modules.exists():
            raise error("empty_course")
        if item.kind == Item.Kind.DOCUMENT and not (item.body or item.file_name):
            raise error("empty_document")
        item.status, item.published_at = Item.Status.PUBLISHED, timezone.now()
    else:
        item.status = Item.Status.DRAFT
    item.save(update_fields=["status", "published_at", "updated_at"])
    audit.record(
        "library.published" if published else "library.unpublished", actor=staff, target=item
    )
    return item


def save_module(staff: Any, module: Module) -> Module:
    require_staff(staff)
    if module.position == 0:
        last = module.item.modules.exclude(pk=module.pk).order_by("-position").first()
        module.position = (last.position if last else 0) + 1
    module.save()
    audit.record("library.module_saved", actor=staff, target=module.item)
    return module


def _remove_files_after_commit(names: list[str]) -> None:
    """Stored files go once the rows naming them are gone for good (not on a rollback)."""
    from django.core.files.storage import default_storage

    def remove() -> None:
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(remove)


@transaction.atomic
def delete_item(staff: Any, item_id: UUID | str) -> None:
    """Remove an item with its modules and files. Members' progress and recommendations of it
    go with it (they point at content that no longer exists)."""
    require_staff(staff)
    item = Item.objects.select_for_update().filter(pk=item_id).first()
    if item is None:
        raise error("not_found")
    names = [n for n in [item.file_name, *item.modules.values_list("file_name", flat=True)] if n]
    audit.record("library.item_deleted", actor=staff, target=item)
    item.delete()
    _remove_files_after_commit(names)


@transaction.atomic
def delete_module(staff: Any, item_id: UUID | str, module_id: UUID | str) -> None:
    require_staff(staff)
    module = Module.objects.filter(pk=module_id, item_id=item_id).select_related("item").first()
    if module is None:
        raise error("not_found")
    item = module.item
    if item.status == Item.Status.PUBLISHED and item.modules.count() == 1:
        raise error("empty_course")  # a published course keeps at least one module
    names = [module.file_name] if module.file_name else []
    audit.record("library.module_deleted", actor=staff, target=item)
    module.delete()
    _remove_files_after_commit(names)


# --- Embedded video -----------------------------------------------------------------------------
_YOUTUBE = re.compile(
    r"^https://(?:www\.|m\.)?(?:youtube\.com/watch\?v=|youtu\.be/|youtube\.com/embed/)"
    r"([A-Za-z0-9_-]{11})"
)
_VIMEO = re.compile(r"^https://(?:www\.)?vimeo\.com/(\d{4,12})")
YOUTUBE_ORIGIN = "https://www.youtube-nocookie.com"
VIMEO_ORIGIN = "https://player.vimeo.com"


def embed_of(url: str) -> tuple[str, str] | None:
    """(player address, its origin) for a YouTube or Vimeo address, else None. YouTube plays
    from youtube-nocookie.com, Vimeo with do-not-track."""
    if match := _YOUTUBE.match(url or ""):
        return f"{YOUTUBE_ORIGIN}/embed/{match.group(1)}", YOUTUBE_ORIGIN
    if match := _VIMEO.match(url or ""):
        return f"{VIMEO_ORIGIN}/video/{match.group(1)}?dnt=1", VIMEO_ORIGIN
    return None


def valid_embed(url: str) -> bool:
    return not url or embed_of(url) is not None


# --- Erasure ------------------------------------------------------------------------------------
def erase_progress(user: Any, item_id: str) -> bool:
    """Item action for the privacy centre (RIGHTS-3): one mark of progress."""
    try:
        deleted, _rows = Progress.objects.filter(member_id=user.pk, pk=item_id).delete()
    except (ValidationError, ValueError):
        return False
    return bool(deleted)


def erase_recommendation(user: Any, item_id: str) -> bool:
    """Item action for the privacy centre (RIGHTS-3): one recommendation."""
    try:
        deleted, _rows = Recommendation.objects.filter(client_id=user.pk, pk=item_id).delete()
    except (ValidationError, ValueError):
        return False
    return bool(deleted)
