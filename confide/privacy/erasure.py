"""Erasure (RIGHTS-3): one item, chosen categories, or the whole account.

Driven by the inventory: each declared field says whether erasure deletes, anonymizes or shreds
it, or keeps it under legal hold. Held data of an erased account is restricted (``LegalHold``):
readable only through :func:`read_held` (audited break-glass with a reason) until the retention
sweep deletes it at the end of its hold. Every call returns a receipt: what was erased, what is
kept, why, and until when (codes and counts; ``receipt_lines`` renders it in any language).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone

from confide.core.sockets import access_changed, end_user_sockets
from confide.presets import current_preset
from confide.privacy import clinical, crypto, files, registry
from confide.privacy.fields import EncryptedField
from confide.privacy.inventory import (
    CATEGORIES,
    DELETE,
    LEGAL_HOLD,
    SHRED,
    ModelDeclaration,
    all_declarations,
    law_name,
)
from confide.privacy.models import DataKey, LegalHold, Restriction, RightsRequest
from confide.privacy.retention import duration

Receipt = dict[str, list[dict[str, Any]]]
#: Models whose rows the account erasure keeps as they are (proof and the hold itself).
_KEPT_AS_PROOF = {"privacy.RightsRequest", "privacy.LegalHold", "audit.AuditEvent"}
_UNSET = object()


def _blank(field: models.Field[Any, Any]) -> Any:
    """The value that erases a field in place, or _UNSET if the column cannot be emptied."""
    if field.null:
        return None
    if isinstance(field, EncryptedField):
        return _UNSET
    if isinstance(field, models.JSONField):
        return field.get_default()
    if isinstance(field, (models.CharField, models.TextField)) and not field.unique:
        return ""
    return _UNSET


def _until(rule: str, now: datetime, subject_id: int) -> str | None:
    if rule == clinical.HOLD_RULE:  # counted from the last session, not from today
        ends = clinical.hold_ends(subject_id)
        if ends is not None:
            return ends.isoformat()
    span = duration(rule)
    return (now + span).isoformat() if span is not None else None


def _subject_declarations() -> list[ModelDeclaration]:
    return [d for d in all_declarations() if d.subject is not None and d.fields]


def _scopes_of(declaration: ModelDeclaration) -> set[str]:
    return {
        f.scope() for f in declaration.model._meta.concrete_fields if isinstance(f, EncryptedField)
    }


def _kept_line(
    declaration: ModelDeclaration, names: list[str], count: int, now: datetime, subject_id: int
) -> dict[str, Any]:
    specs = [declaration.fields[n] for n in names]
    rules = {s.retention for s in specs}
    untils = [u for r in rules if (u := _until(r, now, subject_id))]
    return {
        "model": declaration.label,
        "categories": sorted({s.category for s in specs}),
        "count": count,
        "law": next((s.law for s in specs if s.law), ""),
        "reason": "legal_hold" if any(s.erasure == LEGAL_HOLD for s in specs) else "needed",
        "until": max(untils) if untils else None,
        "keepers": clinical.keepers(declaration, subject_id),
    }


def _anonymize(
    queryset: models.QuerySet[Any], model: type[models.Model], names: list[str]
) -> list[str]:
    """Empty the fields that can be emptied; returns the names that could not."""
    updates, stuck = {}, []
    for name in names:
        field = model._meta.get_field(name)
        value = _blank(field)  # type: ignore[arg-type]
        if value is _UNSET:
            stuck.append(name)
        else:
            updates[getattr(field, "attname", name)] = value
    if updates:
        queryset.update(**updates)
    return stuck


def erase_categories(user: Any, categories: set[str], *, now: datetime | None = None) -> Receipt:
    """Erase the person's data in ``categories`` wherever it is declared."""
    now = now or timezone.now()
    receipt: Receipt = {"erased": [], "kept": []}
    unknown = categories - set(CATEGORIES)
    if unknown:
        raise ValueError(f"unknown categories {sorted(unknown)}")
    touched_scopes: set[str] = set()
    with transaction.atomic():
        for declaration in _subject_declarations():
            chosen = [n for n, s in declaration.fields.items() if s.category in categories]
            if not chosen or declaration.label in _KEPT_AS_PROOF:
                continue
            queryset = declaration.model._default_manager.filter(
                **declaration.subject_filter(user.pk)
            )
            count = queryset.count()
            if not count:
                continue
            if declaration.account_only:  # sign-in data: erased with the account only
                receipt["kept"].append(_kept_line(declaration, chosen, count, now, user.pk))
                continue
            held = [n for n in chosen if declaration.fields[n].erasure == LEGAL_HOLD]
            free = [n for n in chosen if n not in held]
            if held:
                receipt["kept"].append(_kept_line(declaration, held, count, now, user.pk))
            whole_row = set(free) == set(declaration.fields) or any(
                declaration.fields[n].erasure in {DELETE, SHRED}
                and _blank(declaration.model._meta.get_field(n)) is _UNSET  # type: ignore[arg-type]
                for n in free
            )  # a value that cannot be emptied in place goes with its row
            if (
                whole_row
                and declaration.subject != "self"
                and any(declaration.fields[n].erasure in {DELETE, SHRED} for n in free)
            ):
                queryset.delete()
                touched_scopes |= _scopes_of(declaration)
                action = "deleted"
            elif free:
                stuck = _anonymize(queryset, declaration.model, free)
                if stuck:
                    receipt["kept"].append(_kept_line(declaration, stuck, count, now, user.pk))
                if len(stuck) == len(free):
                    continue
                action = "anonymized"
            else:
                continue
            receipt["erased"].append(
                {
                    "model": declaration.label,
                    "categories": sorted({declaration.fields[n].category for n in free}),
                    "action": action,
                    "count": count,
                }
            )
        for scope in sorted(touched_scopes):
            if not _scope_in_use(user.pk, scope):  # nothing left under it: destroy the key
                crypto.shred(user.pk, [scope])
    return receipt


def _scope_in_use(user_id: int, scope: str) -> bool:
    for declaration in _subject_declarations():
        if (
            scope in _scopes_of(declaration)
            and declaration.model._default_manager.filter(
                **declaration.subject_filter(user_id)
            ).exists()
        ):
            return True
    return False


def erase_item(user: Any, model_label: str, item_id: str) -> Receipt:
    """Erase one item through the owning app's registered action."""
    action = registry.item_action(model_label)
    if action is None:
        raise LookupError(f"no item action for {model_label}")
    if not action.erase(user, item_id):
        raise LookupError("no such item of yours")
    return {
        "erased": [{"model": model_label, "categories": [], "action": "deleted", "count": 1}],
        "kept": [],
    }


def erase_account(user: Any, *, now: datetime | None = None) -> Receipt:
    """Erase the whole account at once: shred every data key but the clinical hold's, delete or
    anonymize every non-held field, restrict held data until its hold ends, anonymize and
    deactivate the user row (kept as a tombstone), end sessions and delete sign-in data."""
    now = now or timezone.now()
    preset = current_preset()
    receipt: Receipt = {"erased": [], "kept": []}
    hold_needed = False
    with transaction.atomic():
        # Before any row goes: the sign-in sessions name the browser sessions to end, and the
        # addresses name the outbox files to delete.
        _end_sessions(user)
        outbox_files = files.erase_for(user.pk)
        shredded = crypto.shred(user.pk)  # one delete, whatever the amount of data
        for declaration in _subject_declarations():
            if declaration.subject == "self":
                continue
            queryset = declaration.model._default_manager.filter(
                **declaration.subject_filter(user.pk)
            )
            count = queryset.count()
            if not count:
                continue
            held = [n for n, s in declaration.fields.items() if s.erasure == LEGAL_HOLD]
            if held or declaration.label in _KEPT_AS_PROOF:
                receipt["kept"].append(
                    _kept_line(declaration, held or list(declaration.fields), count, now, user.pk)
                )
                free = [n for n in declaration.fields if n not in held]
                _anonymize(queryset, declaration.model, free)
                hold_needed = hold_needed or any(
                    declaration.fields[n].retention == "clinical_hold" for n in held
                )
                continue
            shred_only = all(s.erasure in {SHRED} for s in declaration.fields.values())
            erasures = {s.erasure for s in declaration.fields.values()}
            if DELETE in erasures or SHRED in erasures:
                queryset.delete()
                action = "shredded" if shred_only or _scopes_of(declaration) else "deleted"
            else:
                _anonymize(queryset, declaration.model, list(declaration.fields))
                action = "anonymized"
            receipt["erased"].append(
                {
                    "model": declaration.label,
                    "categories": sorted({s.category for s in declaration.fields.values()}),
                    "action": action,
                    "count": count,
                }
            )
        _end_care(user, now)
        if outbox_files:
            receipt["erased"].append(
                {
                    "model": files.LABEL,
                    "categories": ["contact"],
                    "action": "deleted",
                    "count": outbox_files,
                }
            )
        _anonymize_user(user)
        receipt["erased"].append(
            {
                "model": user._meta.label,
                "categories": ["contact", "identity", "credentials"],
                "action": "anonymized",
                "count": 1,
            }
        )
        Restriction.objects.get_or_create(user=user)  # nothing of it is processed any more
        if hold_needed:
            # The law's period runs from the last session, not from the erasure (KEEP-1).
            until = clinical.hold_ends(user.pk) or now + preset.clinical_record_hold
            LegalHold.objects.update_or_create(
                subject_id=user.pk,
                defaults={
                    "until": until,
                    "law": "clinical_records",  # a law key: named in the reader's language
                },
            )
        receipt["shredded_scopes"] = [{"scope": s} for s in shredded]
    return receipt


def _end_care(user: Any, now: datetime) -> None:
    if apps.is_installed("confide.matching"):
        from confide.matching.models import CareRelationship

        current = CareRelationship.objects.filter(client=user, ended_at__isnull=True)
        counselors = list(current.values_list("counselor_id", flat=True))
        current.update(ended_at=now)
        transaction.on_commit(lambda: access_changed(counselors))


def _end_sessions(user: Any) -> None:
    """End every browser session the person is signed in with, and its sockets. The sign-in
    session rows themselves (allauth's, with IP and browser) are deleted with the other declared
    rows (``third_party.py``)."""
    from allauth.usersessions.models import UserSession
    from django.contrib.sessions.models import Session

    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    user_id = user.pk
    transaction.on_commit(lambda: end_user_sockets(user_id))


def _anonymize_user(user: Any) -> None:
    declaration = next(d for d in all_declarations() if d.model is user._meta.model)
    for name, spec in declaration.fields.items():
        field = user._meta.get_field(name)
        if name == "email":
            user.email = f"erased-{uuid.uuid4().hex}@erased.invalid"
        elif name == "password":
            user.password = make_password(None)
        elif spec.erasure != LEGAL_HOLD and not field.unique:
            value = _blank(field)
            if value is not _UNSET:
                setattr(user, field.attname, value)
    user.is_active = False
    user.save()


def read_held(actor: Any, subject_id: int, *, reason: str) -> dict[str, Any]:
    """The restricted data of an erased account, through audited break-glass only."""
    from confide.privacy.access import Action, break_glass
    from confide.privacy.export import model_rows

    break_glass(actor, subject_id, Action.VIEW_CLINICAL, reason=reason)
    held: dict[str, Any] = {}
    for declaration in _subject_declarations():
        if declaration.label in _KEPT_AS_PROOF:
            continue
        if any(s.erasure == LEGAL_HOLD for s in declaration.fields.values()):
            rows = model_rows(declaration, subject_id)
            if rows:
                held[declaration.label] = rows
    return held


def is_held(subject_id: int) -> bool:
    return LegalHold.objects.filter(subject_id=subject_id).exists()


def receipt_lines(receipt: Receipt) -> dict[str, list[dict[str, Any]]]:
    """The receipt with human labels, in the active language."""

    titles = {d.label: d.title_text() for d in all_declarations()}
    titles[files.LABEL] = str(files.OUTBOX.title)

    def title(label: str) -> str:
        return titles.get(label, label)

    def enrich(line: dict[str, Any]) -> dict[str, Any]:
        return {
            **line,
            "title": title(line["model"]),
            "law": law_name(line["law"]) if line.get("law") else "",
            "category_labels": [
                str(CATEGORIES[c][0]) for c in line.get("categories", []) if c in CATEGORIES
            ],
        }

    return {
        "erased": [enrich(line) for line in receipt.get("erased", [])],
        "kept": [enrich(line) for line in receipt.get("kept", [])],
    }


__all__ = [
    "DataKey",
    "RightsRequest",
    "erase_account",
    "erase_categories",
    "erase_item",
    "is_held",
    "read_held",
    "receipt_lines",
]
