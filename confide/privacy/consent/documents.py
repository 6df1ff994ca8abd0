"""Rendering policy documents: the stored text split into blocks, with the inventory-generated
"what we collect" section where the text holds ``[[what-we-collect]]``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from confide.privacy.inventory import CATEGORIES, PURPOSES, RETENTION_RULES, all_declarations

COLLECTION_MARK = "[[what-we-collect]]"
#: The privacy kernel's manifest section; used when present, else our fallback below.
MANIFEST_TEMPLATE = "privacy/_what_we_collect.html"
FALLBACK_TEMPLATE = "consent/_what_we_collect_fallback.html"


@dataclass(frozen=True)
class Block:
    kind: str  # "heading" | "paragraph" | "collection"
    text: str = ""


def blocks(body: str) -> list[Block]:
    found = []
    for raw in body.split("\n"):
        line = raw.strip()
        if not line:
            continue
        if line == COLLECTION_MARK:
            found.append(Block("collection"))
        elif line.startswith("## "):
            found.append(Block("heading", line[3:]))
        else:
            found.append(Block("paragraph", line))
    return found


def collection_template() -> str:
    try:
        get_template(MANIFEST_TEMPLATE)
    except TemplateDoesNotExist:
        return FALLBACK_TEMPLATE
    return MANIFEST_TEMPLATE


def fallback_summary() -> list[dict[str, Any]]:
    """Per declared category: label, purposes and retention rules, from the inventory."""
    purposes: dict[str, set[str]] = defaultdict(set)
    rules: dict[str, set[str]] = defaultdict(set)
    for declaration in all_declarations():
        for spec in declaration.fields.values():
            purposes[spec.category].update(spec.purposes)
            rules[spec.category].add(spec.retention)
    return [
        {
            "label": CATEGORIES[key][0],
            "purposes": [PURPOSES[p][0] for p in PURPOSES if p in purposes[key]],
            "retention": [RETENTION_RULES[r] for r in RETENTION_RULES if r in rules[key]],
        }
        for key in CATEGORIES
        if key in purposes
    ]
