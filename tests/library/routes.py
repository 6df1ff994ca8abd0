"""Object routes of the library for the role × route matrix (tests/test_route_matrix.py)."""

from __future__ import annotations

from typing import Any


def object_routes(p: dict[str, Any]) -> dict[str, Any]:
    from tests.library.factories import course, document_with_pdf
    from tests.test_route_matrix import ObjectRoute

    draft = course(published=False, title="Draft course")
    first = draft.modules.first()
    assert first is not None
    doc = document_with_pdf(published=False)
    nobody = {"anonymous", "stranger", "client", "counselor", "other_counselor", "team_leader"}
    staff_only = nobody
    return {
        # A draft: only staff may see it or its files.
        "library:item": ObjectRoute({"item_id": draft.pk}, nobody),
        "library:module": ObjectRoute({"item_id": draft.pk, "module_id": first.pk}, nobody),
        "library:file": ObjectRoute({"item_id": doc.pk}, nobody),
        "library:module_file": ObjectRoute({"item_id": draft.pk, "module_id": first.pk}, nobody),
        "library:edit_item": ObjectRoute({"item_id": draft.pk}, staff_only),
        "library:publish": ObjectRoute({"item_id": draft.pk}, staff_only),
        "library:new_module": ObjectRoute({"item_id": draft.pk}, staff_only),
        "library:edit_module": ObjectRoute(
            {"item_id": draft.pk, "module_id": first.pk}, staff_only
        ),
        "library:delete_item": ObjectRoute({"item_id": draft.pk}, staff_only),
        "library:delete_module": ObjectRoute(
            {"item_id": draft.pk, "module_id": first.pk}, staff_only
        ),
        "library:recommend": ObjectRoute({"item_id": draft.pk}, nobody),
        "library:done": ObjectRoute({"item_id": draft.pk, "module_id": first.pk}, nobody),
    }
