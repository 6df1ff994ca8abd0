"""Extension points through which the owning apps plug into export, erasure and retention.

The generic machinery works from the inventory alone (``all_declarations()``); an app registers
here only what the inventory cannot say: how to delete *one* of its items (a message, a journal
entry), extra export sections (e.g. FHIR later), or anonymous roll-ups to compute before the
retention sweep deletes rows (SHARE-5). Call these from your ``AppConfig.ready()``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet


@dataclass(frozen=True)
class ItemAction:
    """Erase one item of ``model_label`` owned by a person. ``erase(user, item_id)`` returns
    True when it erased something; it must check ownership itself and raise nothing else."""

    model_label: str
    label: Any  # gettext_lazy, shown on the receipt
    erase: Callable[[Any, str], bool]


#: Extra export sections: name -> fn(user_id) -> JSON-serialisable value.
_exporters: dict[str, Callable[[int], Any]] = {}
#: Model label -> fn(user_id) -> list of row dicts, replacing the generic export of that model.
_model_exporters: dict[str, Callable[[int], list[dict[str, Any]]]] = {}
_item_actions: dict[str, ItemAction] = {}
#: Model label -> fns(queryset about to be deleted by retention) that update Aggregate rows.
_rollups: dict[str, list[Callable[[QuerySet[Any]], None]]] = {}


def register_exporter(name: str, fn: Callable[[int], Any]) -> None:
    """Add a section ``name`` to every export (e.g. a FHIR bundle)."""
    _exporters[name] = fn


def register_model_exporter(model_label: str, fn: Callable[[int], list[dict[str, Any]]]) -> None:
    """Replace the generic export of one model (keep every declared field)."""
    _model_exporters[model_label] = fn


def register_item_action(model_label: str, label: Any, erase: Callable[[Any, str], bool]) -> None:
    _item_actions[model_label] = ItemAction(model_label, label, erase)


def register_rollup(model_label: str, fn: Callable[[QuerySet[Any]], None]) -> None:
    _rollups.setdefault(model_label, [])
    if fn not in _rollups[model_label]:
        _rollups[model_label].append(fn)


#: Model label -> fn(queryset) -> the rows of it under a legal hold (kept past retention end).
_holds: dict[str, Callable[[QuerySet[Any]], QuerySet[Any]]] = {}


def register_hold(model_label: str, fn: Callable[[QuerySet[Any]], QuerySet[Any]]) -> None:
    """Rows of ``model_label`` under a legal hold (e.g. a clinical note held for a court case):
    the retention sweep leaves them, and their key, until the hold is released."""
    _holds[model_label] = fn


def held_rows(model_label: str, queryset: QuerySet[Any]) -> QuerySet[Any] | None:
    fn = _holds.get(model_label)
    return None if fn is None else fn(queryset)


def exporters() -> dict[str, Callable[[int], Any]]:
    return dict(_exporters)


def model_exporter(model_label: str) -> Callable[[int], list[dict[str, Any]]] | None:
    return _model_exporters.get(model_label)


def item_action(model_label: str) -> ItemAction | None:
    return _item_actions.get(model_label)


def item_actions() -> dict[str, ItemAction]:
    return dict(_item_actions)


def rollups(model_label: str) -> list[Callable[[QuerySet[Any]], None]]:
    return list(_rollups.get(model_label, ()))


#: Callables returning more declared recipients (``confide.privacy.recipients.Recipient``).
_recipient_sources: list[Callable[[], list[Any]]] = []


def register_recipients(fn: Callable[[], list[Any]]) -> None:
    """Declare where an app sends personal data (SHARE-1): ``fn()`` returns ``Recipient`` rows
    for the current settings."""
    if fn not in _recipient_sources:
        _recipient_sources.append(fn)


def recipient_sources() -> list[Callable[[], list[Any]]]:
    return list(_recipient_sources)
