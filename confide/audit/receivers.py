"""Administrative acts made through the Django admin go into the audit chain too (ROLE-2)."""

from __future__ import annotations

from typing import Any

from confide.audit import services as audit

_FLAGS = {1: "add", 2: "change", 3: "delete"}


def admin_log_entry_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """Ids only: the model, the object id and who acted — never ``object_repr`` or the change
    message, which may quote content."""
    if not created:
        return
    model = instance.content_type.model_class() if instance.content_type_id else None
    subject_id = None
    if model is not None and model._meta.label == "accounts.User":
        try:
            subject_id = int(instance.object_id)
        except (TypeError, ValueError):
            subject_id = None
    audit.record(
        f"admin.{_FLAGS.get(instance.action_flag, 'other')}",
        actor=instance.user,
        subject_id=subject_id,
        details={
            "model": model._meta.label_lower if model is not None else "unknown",
            "object_id": str(instance.object_id or "").replace(" ", "_")[:64],
        },
    )
