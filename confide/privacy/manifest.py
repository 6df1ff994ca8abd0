"""What the inventory says, for machines (``privacy_manifest``) and for people (the policy's
"what we collect, why, for how long" section, POLICY-4). One declaration, no second list."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string

from confide.presets import current_preset
from confide.privacy.files import FILE_DECLARATIONS
from confide.privacy.inventory import (
    CATEGORIES,
    LEGAL_BASES,
    PURPOSES,
    RETENTION_RULES,
    Declared,
    all_declarations,
    law_name,
)
from confide.privacy.recipients import declared_recipients
from confide.privacy.retention import duration


def _field_entries(fields: dict[str, Declared]) -> list[dict[str, Any]]:
    entries = []
    for name, spec in sorted(fields.items()):
        span = duration(spec.retention)
        entries.append(
            {
                "name": name,
                "data_categories": [CATEGORIES[spec.category][1]],
                "data_uses": [PURPOSES[p][1] for p in spec.purposes],
                "confide_category": spec.category,
                "confide_purposes": list(spec.purposes),
                "legal_basis": spec.basis,
                "retention": spec.retention,
                "retention_days": span.days if span else None,
                "erasure": spec.erasure,
                "law": spec.law or None,
            }
        )
    return entries


def build_manifest() -> dict[str, Any]:
    """A Fides-style manifest: one dataset per model (ours and the libraries', with its table)
    and per file store, one field entry per declared field."""
    preset = current_preset()
    datasets = []
    for declaration in sorted(all_declarations(), key=lambda d: d.label):
        datasets.append(
            {
                "fides_key": declaration.label.lower().replace(".", "_"),
                "name": declaration.label,
                "table": declaration.model._meta.db_table,
                "data_subject": "customer" if declaration.subject else None,
                "fields": _field_entries(declaration.fields),
                "not_personal": sorted(declaration.not_personal),
            }
        )
    for store in FILE_DECLARATIONS:
        datasets.append(
            {
                "fides_key": store.label.replace(".", "_"),
                "name": store.label,
                "table": None,
                "data_subject": "customer",
                "fields": _field_entries(store.fields),
                "not_personal": [],
            }
        )
    return {
        "preset": preset.key,
        "backup_shred_delay_days": preset.backup_shred_delay.days,
        "clinical_record_hold_days": preset.clinical_record_hold.days,
        "data_categories": {k: v[1] for k, v in CATEGORIES.items()},
        "data_uses": {k: v[1] for k, v in PURPOSES.items()},
        "legal_bases": sorted(LEGAL_BASES),
        "retention_rules": {k: (d.days if (d := duration(k)) else None) for k in RETENTION_RULES},
        "datasets": datasets,
        "recipients": [
            {
                "key": r.key,
                "kind": r.kind,
                "hosts": sorted(r.hosts),
                "data_categories": sorted(r.categories),
                "side": r.side,
                "consent": r.consent or None,
            }
            for r in declared_recipients()
        ],
    }


@dataclass
class CategorySummary:
    key: str
    label: str
    purposes: list[str] = field(default_factory=list)
    bases: list[str] = field(default_factory=list)
    retention: list[str] = field(default_factory=list)
    legal_hold_laws: list[str] = field(default_factory=list)


def collection_summary() -> list[CategorySummary]:
    """Per data category actually declared: why (purposes), on what basis, for how long — in the
    active language. Categories nobody declares are left out (POLICY-4: exactly what we store)."""
    purposes: dict[str, set[str]] = defaultdict(set)
    bases: dict[str, set[str]] = defaultdict(set)
    rules: dict[str, set[str]] = defaultdict(set)
    laws: dict[str, set[str]] = defaultdict(set)
    declared = [d.fields for d in all_declarations()] + [f.fields for f in FILE_DECLARATIONS]
    for fields in declared:
        for spec in fields.values():
            purposes[spec.category].update(spec.purposes)
            bases[spec.category].add(spec.basis)
            rules[spec.category].add(spec.retention)
            if spec.law:
                laws[spec.category].add(spec.law)
    summary = []
    for key in CATEGORIES:
        if key not in purposes:
            continue
        summary.append(
            CategorySummary(
                key=key,
                label=str(CATEGORIES[key][0]),
                purposes=[str(PURPOSES[p][0]) for p in PURPOSES if p in purposes[key]],
                bases=[str(LEGAL_BASES[b]) for b in LEGAL_BASES if b in bases[key]],
                retention=[str(RETENTION_RULES[r]) for r in RETENTION_RULES if r in rules[key]],
                legal_hold_laws=sorted(law_name(law) for law in laws[key]),
            )
        )
    return summary


def backup_shred_delay_days() -> int:
    return current_preset().backup_shred_delay.days


def render_collection_summary() -> str:
    """The section as HTML (the same include the policy page uses)."""
    return render_to_string(
        "privacy/_what_we_collect.html",
        {"collection": collection_summary(), "backup_shred_delay_days": backup_shred_delay_days()},
    )
