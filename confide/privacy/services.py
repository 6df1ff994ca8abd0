"""The six rights as tracked requests. Each function persists, audits and notifies, in order.

Every request moves received → verified → in progress → done (or refused with a reason), is due
one month after it arrived, is written to the audit log at each step and appears in the export.
Requests made from the signed-in privacy centre are verified by the session itself (and by a
fresh re-authentication for downloads and account erasure).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from confide.audit import services as audit
from confide.core.mail import send_templated
from confide.core.times import user_zone
from confide.privacy import crypto, erasure
from confide.privacy.models import Objection, Restriction, RightsRequest
from confide.privacy.processing import OBJECTABLE

logger = logging.getLogger(__name__)

DUE_AFTER = timedelta(days=30)
ARCHIVE_VALID = timedelta(days=7)
EXPORT_SCOPE = "export"
#: Stored untranslated, shown translated ({% translate request.refusal_reason %}).
EXPORT_FAILED = gettext_noop("The export failed. Please try again.")
ACCOUNT_ERASED = gettext_noop("The account was erased.")
#: Roles that handle requests the person cannot complete themselves ("other").
STAFF_ROLES = frozenset({"staff", "admin"})
OTHER_MAX_LENGTH = 4000

#: Profile fields a person may hide from others (RIGHTS-8).
HIDEABLE_FIELDS = ("first_name", "last_name", "date_of_birth", "phone", "timezone")
#: Profile fields a person edits themselves (RIGHTS-2); the rest say how to ask.
EDITABLE_FIELDS = (
    "nickname",
    "first_name",
    "last_name",
    "date_of_birth",
    "phone",
    "language",
    "timezone",
)

#: Profile fields shown as "you cannot change these here": the person's own account facts. The
#: rest of their declared record (moderation notes, hide choices) is in the export, not this page.
FIXED_SHOWN_FIELDS = ("email", "client_number", "date_joined", "phone_verified_at")


class InvalidTransition(Exception):
    pass


def open_request(
    user: Any, kind: str, scope: dict[str, Any] | None = None, *, details: str | None = None
) -> RightsRequest:
    now = timezone.now()
    request = RightsRequest.objects.create(
        user=user,
        kind=kind,
        scope=scope or {},
        details=details,
        received_at=now,
        due_at=now + DUE_AFTER,
    )
    audit.record(f"rights.{kind}.received", actor=user, subject_id=user.pk, target=request)
    return request


def advance(request: RightsRequest, state: str, *, reason: str = "", actor: Any = None) -> None:
    """Move along the state machine; refusals need a reason."""
    if state not in RightsRequest.TRANSITIONS[request.state]:
        raise InvalidTransition(f"{request.state} -> {state}")
    if state == RightsRequest.State.REFUSED and not reason.strip():
        raise InvalidTransition("a refusal needs a reason")
    request.state = state
    update = ["state"]
    if state in {RightsRequest.State.DONE, RightsRequest.State.REFUSED}:
        request.completed_at = timezone.now()
        update.append("completed_at")
    if reason:
        request.refusal_reason = reason[:300]
        update.append("refusal_reason")
    request.save(update_fields=update)
    audit.record(
        f"rights.{request.kind}.{state}",
        actor=actor or request.user,
        subject_id=request.user_id,
        target=request,
        reason=reason,
    )


def _self_service(user: Any, kind: str, scope: dict[str, Any] | None = None) -> RightsRequest:
    """A request the signed-in person makes about themselves: verified by their session."""
    request = open_request(user, kind, scope)
    advance(request, RightsRequest.State.VERIFIED)
    advance(request, RightsRequest.State.IN_PROGRESS)
    return request


# --- Anything else, handled by staff --------------------------------------------------------------
def request_other(user: Any, details: str) -> RightsRequest:
    """File a free-form request (anything the centre has no button for). It stays *received*
    until staff verify and handle it (:func:`handle_request`); due in one month like the rest."""
    text = details.strip()
    if not text:
        raise ValueError("an empty request")
    return open_request(user, RightsRequest.Kind.OTHER, details=text[:OTHER_MAX_LENGTH])


def open_requests() -> list[RightsRequest]:
    """Requests still waiting for someone, oldest due first: the staff queue."""
    waiting = RightsRequest.objects.exclude(
        state__in=[RightsRequest.State.DONE, RightsRequest.State.REFUSED]
    )
    return list(waiting.select_related("user").order_by("due_at"))


def get_request_for_staff(actor: Any, pk: Any) -> RightsRequest:
    """One request with its text, for staff; the reading is audited (LOG-4)."""
    if getattr(actor, "role", None) not in STAFF_ROLES:
        raise PermissionError("only staff handle requests")
    request = RightsRequest.objects.select_related("user").get(pk=pk)
    audit.record(
        f"rights.{request.kind}.read", actor=actor, subject_id=request.user_id, target=request
    )
    return request


def handle_request(actor: Any, request: RightsRequest, state: str, *, reason: str = "") -> None:
    """Staff move a request on (verified → in progress → done, or refused with a reason)."""
    if getattr(actor, "role", None) not in STAFF_ROLES:
        raise PermissionError("only staff handle requests")
    advance(request, state, reason=reason, actor=actor)


# --- Access and portability ----------------------------------------------------------------------
def start_export(user: Any) -> RightsRequest:
    from confide.core.tasks import enqueue
    from confide.privacy.tasks import build_export

    with transaction.atomic():
        request = _self_service(user, RightsRequest.Kind.EXPORT)
        enqueue(build_export, str(request.pk))
    return request


def _archive_aad(request: RightsRequest) -> bytes:
    return f"privacy.rightsrequest.archive:{request.pk}".encode()


def run_export(request_id: str) -> None:
    """Build, seal and store the archive; then tell the person by email."""
    from confide.privacy.export import build_archive

    request = RightsRequest.objects.select_related("user").get(pk=request_id)
    if request.state != RightsRequest.State.IN_PROGRESS:
        return
    user = request.user

    def progress(percent: int) -> None:
        RightsRequest.objects.filter(pk=request.pk).update(progress=min(percent, 99))

    try:
        archive, count = build_archive(
            user.pk, user.language or settings.LANGUAGE_CODE, progress, zone=user_zone(user)
        )
    except Exception:
        # Never leave the person watching a progress bar forever; ids only in the log.
        logger.exception("export %s failed", request.pk)
        advance(request, RightsRequest.State.REFUSED, reason=EXPORT_FAILED)
        raise
    sealed = crypto.encrypt(
        archive, subject_id=user.pk, scope=EXPORT_SCOPE, aad=_archive_aad(request)
    )
    name = default_storage.save(f"exports/{request.pk}.sealed", ContentFile(sealed))
    request.archive_name = name
    request.archive_expires_at = timezone.now() + ARCHIVE_VALID
    request.progress = 100
    request.save(update_fields=["archive_name", "archive_expires_at", "progress"])
    advance(request, RightsRequest.State.DONE)
    audit.record(
        "rights.export.ready",
        actor=user,
        subject_id=user.pk,
        target=request,
        details={"records": count},
    )
    send_templated(
        "privacy/email/export_ready",
        user.email,
        {
            "user": user,
            "request": request,
            "url": settings.SITE_URL.rstrip("/")
            + reverse("privacy:export_status", args=[request.pk]),
        },
        language=user.language or None,
        zone=user_zone(user),
    )


def open_archive(user: Any, request: RightsRequest) -> bytes:
    """The decrypted zip, for its owner, while the link is valid (audited)."""
    if request.user_id != user.pk or not request.archive_available:
        raise PermissionError("archive not available")
    with default_storage.open(request.archive_name, "rb") as handle:
        sealed = handle.read()
    archive = crypto.decrypt(sealed, aad=_archive_aad(request))
    audit.record("rights.export.downloaded", actor=user, subject_id=user.pk, target=request)
    return archive


def purge_expired_archives() -> int:
    count = 0
    for request in RightsRequest.objects.filter(archive_expires_at__lt=timezone.now()).exclude(
        archive_name=""
    ):
        default_storage.delete(request.archive_name)
        request.archive_name = ""
        request.save(update_fields=["archive_name"])
        count += 1
    return count


# --- Rectification and hiding --------------------------------------------------------------------
def rectify(user: Any, changes: dict[str, Any]) -> RightsRequest:
    """Apply profile corrections (only ``EDITABLE_FIELDS``); audit names of changed fields only."""
    bad = set(changes) - set(EDITABLE_FIELDS)
    if bad:
        raise ValueError(f"not editable here: {sorted(bad)}")
    changed = [name for name, value in changes.items() if getattr(user, name) != value]
    with transaction.atomic():
        request = _self_service(user, RightsRequest.Kind.RECTIFY, {"fields": changed})
        for name in changed:
            setattr(user, name, changes[name])
        if changed:
            user.save(update_fields=changed)
        advance(request, RightsRequest.State.DONE)
    return request


def hide_fields(user: Any, names: list[str]) -> RightsRequest:
    bad = set(names) - set(HIDEABLE_FIELDS)
    if bad:
        raise ValueError(f"cannot hide {sorted(bad)}")
    with transaction.atomic():
        request = _self_service(user, RightsRequest.Kind.HIDE_FIELDS, {"fields": sorted(names)})
        user.hidden_fields = sorted(names)
        user.save(update_fields=["hidden_fields"])
        advance(request, RightsRequest.State.DONE)
    return request


def visible_value(owner: Any, name: str, viewer: Any) -> Any:
    """What ``viewer`` may see of ``owner``'s profile field (None when hidden, RIGHTS-8)."""
    if viewer is not None and getattr(viewer, "pk", None) == owner.pk:
        return getattr(owner, name)
    if name in (owner.hidden_fields or []):
        return None
    return getattr(owner, name)


# --- Restriction and objection -------------------------------------------------------------------
def set_restriction(user: Any, on: bool) -> RightsRequest:
    kind = RightsRequest.Kind.RESTRICT if on else RightsRequest.Kind.LIFT_RESTRICTION
    with transaction.atomic():
        request = _self_service(user, kind)
        if on:
            Restriction.objects.get_or_create(user=user)
        else:
            Restriction.objects.filter(user=user).delete()
        advance(request, RightsRequest.State.DONE)
    return request


def set_objection(user: Any, purpose: str, on: bool) -> RightsRequest:
    if purpose not in OBJECTABLE:
        raise ValueError(f"{purpose!r} does not rest on legitimate interest")
    kind = RightsRequest.Kind.OBJECT if on else RightsRequest.Kind.WITHDRAW_OBJECTION
    with transaction.atomic():
        request = _self_service(user, kind, {"purpose": purpose})
        if on:
            Objection.objects.get_or_create(user=user, purpose=purpose)
        else:
            Objection.objects.filter(user=user, purpose=purpose).delete()
        advance(request, RightsRequest.State.DONE)
    return request


# --- Erasure -------------------------------------------------------------------------------------
def _finish_erasure(
    request: RightsRequest, receipt: dict[str, Any], email: str, language: str
) -> None:
    request.receipt = receipt
    request.save(update_fields=["receipt"])
    advance(request, RightsRequest.State.DONE)
    counts = {"erased": len(receipt["erased"]), "kept": len(receipt["kept"])}
    audit.record(
        f"rights.{request.kind}.receipt",
        actor=request.user,
        subject_id=request.user_id,
        target=request,
        details=counts,
    )
    # The lines carry labels and law names as plain text: make them in the recipient's language.
    with translation.override(language or settings.LANGUAGE_CODE):
        lines = erasure.receipt_lines(receipt)
    send_templated(
        "privacy/email/erasure_receipt",
        email,
        {"request": request, "lines": lines, "backup_delay_days": backup_delay_days()},
        language=language or None,
    )


def backup_delay_days() -> int:
    from confide.presets import current_preset

    return current_preset().backup_shred_delay.days


def erase_item(user: Any, model_label: str, item_id: str) -> RightsRequest:
    with transaction.atomic():
        request = _self_service(
            user, RightsRequest.Kind.ERASE_ITEM, {"model": model_label, "item": str(item_id)[:64]}
        )
        receipt = erasure.erase_item(user, model_label, item_id)
        _finish_erasure(request, receipt, user.email, user.language)
    return request


def erase_categories(user: Any, categories: list[str]) -> RightsRequest:
    with transaction.atomic():
        request = _self_service(
            user, RightsRequest.Kind.ERASE_CATEGORIES, {"categories": sorted(categories)}
        )
        receipt = erasure.erase_categories(user, set(categories))
        _finish_erasure(request, receipt, user.email, user.language)
    return request


def erase_account(user: Any) -> RightsRequest:
    email, language = user.email, user.language
    with transaction.atomic():
        request = _self_service(user, RightsRequest.Kind.ERASE_ACCOUNT)
        archives = list(
            RightsRequest.objects.filter(user=user)
            .exclude(archive_name="")
            .values_list("archive_name", flat=True)
        )
        receipt = erasure.erase_account(user)
        RightsRequest.objects.filter(user=user).update(archive_name="", archive_expires_at=None)
        for pending in RightsRequest.objects.filter(user=user, kind=RightsRequest.Kind.EXPORT):
            if pending.is_open:  # an export still running must not mail out erased data
                advance(pending, RightsRequest.State.REFUSED, reason=ACCOUNT_ERASED)
        _finish_erasure(request, receipt, email, language)
    for name in archives:  # sealed under a now-shredded key anyway; remove the files too
        default_storage.delete(name)
    return request
